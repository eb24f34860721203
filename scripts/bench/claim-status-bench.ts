/**
 * The same claim-status query three ways over HTTP, each server in its own process, under the
 * same load: node:http answering fixed JSON, graphql-js `execute` on claimgraph's
 * schema and data, and claimgraph itself. The query is a customer's, on a claim it filed that went
 * through screening.
 */
import type { DatabaseTarget } from '../../src/db/orm';
import { agentToken, establishCustomers, fileClaim, recordCatalogue } from './bench-marketplace';
import { BenchProcess } from './bench-process';
import { postGraphQL } from './graphql-post';
import { type LoadFigures, type LoadRun, runLoad, summarise } from './http-load';
import { serverEnv } from './server-env';

export const CLAIM_STATUS_QUERY =
  'query ClaimStatus($id: ID!) { claim(id: $id) { id status nextStep { summary deadline } } }';

/** A server's figures under load, with the CPU time it spent per answered request. */
export interface ServerFigures extends LoadFigures {
  cpuMsPerRequest: number;
}

export interface ClaimStatusFigures {
  raw: ServerFigures;
  graphqlJs: ServerFigures;
  claimgraph: ServerFigures;
  connections: number;
  seconds: number;
}

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

async function waitForScreening(url: string, agent: string, claimId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { claim } = await postGraphQL<{ claim: { status: string } }>(
      url,
      agent,
      'query($id: ID!) { claim(id: $id) { status } }',
      { id: claimId },
    );
    if (claim.status !== 'SUBMITTED' && claim.status !== 'SCREENING') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`claim ${claimId} was not screened within 30 s`);
}

/** What every server is asked: a customer's token and the body of its claim-status request. */
export interface ClaimStatusRequest {
  token: string;
  body: string;
  /** claimgraph's `data` for it, which the other servers must match. */
  answer: string;
}

/** Starts claimgraph on `target` to write a customer and its screened claim; the request to send. */
export async function prepareClaimStatus(target: DatabaseTarget): Promise<ClaimStatusRequest> {
  const server = await BenchProcess.start('server.js', serverEnv(target));
  try {
    const agent = await agentToken();
    await recordCatalogue(server.url, agent);
    const [customer] = await establishCustomers(server.url, agent, 'status-customer', 1);
    const claimId = await fileClaim(server.url, customer);
    await waitForScreening(server.url, agent, claimId);
    const answer = JSON.stringify(
      await postGraphQL(server.url, customer.token, CLAIM_STATUS_QUERY, { id: claimId }),
    );
    return {
      token: customer.token,
      body: JSON.stringify({ query: CLAIM_STATUS_QUERY, variables: { id: claimId } }),
      answer,
    };
  } finally {
    await server.stop();
  }
}

export type ServerKind = 'raw' | 'graphqlJs' | 'claimgraph';

const SERVER_SCRIPTS: Record<ServerKind, string> = {
  raw: 'raw-http-server.js',
  graphqlJs: 'graphql-js-server.js',
  claimgraph: 'server.js',
};

/**
 * The measured time is cut into rounds that visit the servers in turn, so that a change in the
 * machine's background load during the run weighs on all three alike and their ratios hold.
 */
const ROUNDS = 5;

/** Starts one kind of server on `target` and checks that it gives claimgraph's answer. */
async function startServer(
  kind: ServerKind,
  target: DatabaseTarget,
  request: ClaimStatusRequest,
): Promise<BenchProcess> {
  const env = serverEnv(
    target,
    kind === 'raw' ? { BENCH_RESPONSE_BODY: JSON.stringify({ data: JSON.parse(request.answer) }) } : {},
  );
  const server = await BenchProcess.start(SERVER_SCRIPTS[kind], env);
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    body: request.body,
  });
  const answer = JSON.stringify(((await response.json()) as { data?: unknown }).data);
  if (answer !== request.answer) {
    await server.stop();
    throw new Error(`${kind} answered ${answer}, claimgraph ${request.answer}`);
  }
  return server;
}

/** Measures the given servers, each warmed up, then in interleaved rounds. */
export async function measureServers(
  kinds: ServerKind[],
  target: DatabaseTarget,
  request: ClaimStatusRequest,
  settings: LoadSettings,
): Promise<Record<ServerKind, ServerFigures>> {
  const servers: { kind: ServerKind; server: BenchProcess; runs: LoadRun[]; cpuMs: number }[] = [];
  try {
    for (const kind of kinds)
      servers.push({ kind, server: await startServer(kind, target, request), runs: [], cpuMs: 0 });
    const spec = (server: BenchProcess, seconds: number) => ({
      url: server.url,
      connections: settings.connections,
      seconds,
      headers: { authorization: `Bearer ${request.token}` },
      body: request.body,
    });
    if (settings.warmupSeconds > 0)
      for (const { server } of servers) await runLoad(spec(server, settings.warmupSeconds));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const measured of servers) {
        const cpuBefore = await measured.server.cpuMs();
        measured.runs.push(
          await measured.server.profile(() => runLoad(spec(measured.server, settings.seconds / ROUNDS))),
        );
        measured.cpuMs += (await measured.server.cpuMs()) - cpuBefore;
      }
    }
    const figures: Partial<Record<ServerKind, ServerFigures>> = {};
    for (const { kind, runs, cpuMs } of servers) {
      const load = summarise(runs);
      figures[kind] = { ...load, cpuMsPerRequest: cpuMs / load.requests };
    }
    return figures as Record<ServerKind, ServerFigures>;
  } finally {
    for (const { server } of servers) await server.stop();
  }
}

export async function benchClaimStatus(
  target: DatabaseTarget,
  settings: LoadSettings,
): Promise<ClaimStatusFigures> {
  const request = await prepareClaimStatus(target);
  const figures = await measureServers(['raw', 'graphqlJs', 'claimgraph'], target, request, settings);
  return { ...figures, connections: settings.connections, seconds: settings.seconds };
}
