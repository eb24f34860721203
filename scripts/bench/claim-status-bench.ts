/**
 * The same claim-status query three ways over HTTP, each server in its own process and measured
 * in turn with the same load: node:http answering fixed JSON, graphql-js `execute` on claimgraph's
 * schema and data, and claimgraph itself. The query is a customer's, on a claim it filed that went
 * through screening.
 */
import type { DatabaseTarget } from '../../src/db/orm';
import { agentToken, establishCustomers, fileClaim, recordCatalogue } from './bench-marketplace';
import { BenchProcess } from './bench-process';
import { postGraphQL } from './graphql-post';
import { type LoadFigures, runLoad } from './http-load';
import { serverEnv } from './server-env';

export const CLAIM_STATUS_QUERY = 'query ClaimStatus($id: ID!) { claim(id: $id) { id status nextStep { summary deadline } } }';

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
  /** Extra node flags for the servers (e.g. --cpu-prof). */
  execArgv: string[];
}

async function waitForScreening(url: string, agent: string, claimId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { claim } = await postGraphQL<{ claim: { status: string } }>(url, agent, 'query($id: ID!) { claim(id: $id) { status } }', { id: claimId });
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
    const claimId = await fileClaim(server.url, customer!);
    await waitForScreening(server.url, agent, claimId);
    const answer = JSON.stringify(await postGraphQL(server.url, customer!.token, CLAIM_STATUS_QUERY, { id: claimId }));
    return { token: customer!.token, body: JSON.stringify({ query: CLAIM_STATUS_QUERY, variables: { id: claimId } }), answer };
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

/** Starts one kind of server on `target`, checks its answer, and measures it under load. */
export async function measureServer(kind: ServerKind, target: DatabaseTarget, request: ClaimStatusRequest, settings: LoadSettings): Promise<ServerFigures> {
  const env = serverEnv(target, kind === 'raw' ? { BENCH_RESPONSE_BODY: JSON.stringify({ data: JSON.parse(request.answer) }) } : {});
  const server = await BenchProcess.start(SERVER_SCRIPTS[kind], env, settings.execArgv);
  try {
    const spec = { url: server.url, connections: settings.connections, headers: { authorization: `Bearer ${request.token}` }, body: request.body };
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body: request.body });
    const answer = JSON.stringify(((await response.json()) as { data?: unknown }).data);
    if (answer !== request.answer) throw new Error(`${kind} answered ${answer}, claimgraph ${request.answer}`);
    if (settings.warmupSeconds > 0) await runLoad({ ...spec, seconds: settings.warmupSeconds });
    const cpuBefore = await server.cpuMs();
    const figures = await server.profile(() => runLoad({ ...spec, seconds: settings.seconds }));
    return { ...figures, cpuMsPerRequest: ((await server.cpuMs()) - cpuBefore) / figures.requests };
  } finally {
    await server.stop();
  }
}

export async function benchClaimStatus(target: DatabaseTarget, settings: LoadSettings): Promise<ClaimStatusFigures> {
  const request = await prepareClaimStatus(target);
  return {
    raw: await measureServer('raw', target, request, settings),
    graphqlJs: await measureServer('graphqlJs', target, request, settings),
    claimgraph: await measureServer('claimgraph', target, request, settings),
    connections: settings.connections,
    seconds: settings.seconds,
  };
}
