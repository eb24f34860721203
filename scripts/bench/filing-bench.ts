/**
 * fileClaim throughput: concurrent clients, each filing one claim per request as its own
 * established customer on that customer's own order, against claimgraph screening in the
 * background: the serving instance itself at the default JOB_POLL_INTERVAL_MS, or worker instances
 * beside it. Customers and orders are written before the timed part; the run stops early if they
 * run out.
 *
 * What is measured is a deployment past its start: the warm-up files claims long enough for the
 * servers' code to be compiled (V8 was still optimising the filing and screening paths for a
 * quarter of their CPU in the first ten seconds), and on PostgreSQL the planner's statistics are
 * then brought up to date, as autovacuum does within a minute in a running deployment. Without
 * them a table that grew from nothing during the warm-up is planned as if every row matched.
 */
import type autocannon from 'autocannon';
import type { DatabaseTarget } from '../../src/db/orm';
import {
  agentToken,
  type BenchCustomer,
  claimFiling,
  establishCustomers,
  FILE_CLAIM,
  recordCatalogue,
} from './bench-marketplace';
import { withBenchConnection } from './bench-environment';
import { BenchProcess } from './bench-process';
import { machineCpuSnapshot, machineCpuUse, type MachineCpuUse } from './machine-cpu';
import { postGraphQL } from './graphql-post';
import { type LoadFigures, runLoad, summarise } from './http-load';
import { serverEnv } from './server-env';

export interface FilingSettings {
  clients: number;
  /** claimgraph instances over the one database, the clients split evenly between them. */
  instances: number;
  /**
   * Further instances that get no requests and do the background work (screening) alone; with
   * any, the instances serving the clients run none.
   */
  workers: number;
  warmupSeconds: number;
  seconds: number;
  /** Customers (each with an order) written beforehand: at most one filing each. */
  customers: number;
  /** Server settings beyond claimgraph's defaults. */
  serverSettings?: Record<string, string>;
}

export interface FilingFigures extends LoadFigures {
  clients: number;
  instances: number;
  workers: number;
  /** How often the worker instances looked for due work. */
  workerPollIntervalMs: number;
  /** Server settings beyond claimgraph's defaults. */
  serverSettings: Record<string, string>;
  seconds: number;
  warmupSeconds: number;
  /** Planner statistics were brought up to date after the warm-up (PostgreSQL). */
  analyzed: boolean;
  /** Filings answered with a claim, and with anything else, in the measured period. */
  filed: number;
  refused: number;
  /** Claims filed in the whole run (warm-up included), and how many of them screening had finished by its end. */
  claims: number;
  screened: number;
  /** Claims whose screening finished in the measured period, per second. */
  screenedPerSecond: number;
  referredToExperts: number;
  /** Server CPU time in the measured period (filing and screening, all instances and workers) per filing. */
  cpuMsPerFiling: number;
  /** The part of it spent by the worker instances, when there are any. */
  workerCpuMsPerFiling: number;
  /** The customers ran out before the measured period was over. */
  ranOut: boolean;
  /** The whole machine over the measured period (Linux only). */
  machine: MachineCpuUse | null;
}

interface ClaimCounts {
  all: { totalCount: number };
  screened: { totalCount: number };
  referred: { totalCount: number };
}

/** Screened: any status after SUBMITTED and SCREENING. One operation, but not one snapshot: filings may still land. */
const CLAIM_COUNTS = `{
  all: claims(first: 1) { totalCount }
  screened: claims(first: 1, filter: { statuses: [EXPERT_REVIEW, DENIED, APPROVED_CONCESSION, AWAITING_SELLER, SELLER_ACCEPTED,
    SELLER_REJECTED, MARKETPLACE_REVIEW, STEPPED_IN, PAID, CLOSED, WITHDRAWN] }) { totalCount }
  referred: claims(first: 1, filter: { statuses: [EXPERT_REVIEW] }) { totalCount }
}`;

/** How often a worker instance looks for due work, unless the settings say otherwise. */
const WORKER_POLL_INTERVAL_MS = '100';

export async function benchFiling(target: DatabaseTarget, settings: FilingSettings): Promise<FilingFigures> {
  const servers: BenchProcess[] = [];
  const workers: BenchProcess[] = [];
  try {
    const serving =
      settings.workers > 0
        ? { ...settings.serverSettings, JOB_POLL_INTERVAL_MS: '0' }
        : settings.serverSettings;
    // A worker instance looks for due screenings often: at the default second, the claims waiting
    // for its next look when the measured period began and ended moved the screened rate by up to
    // 50 a second either way.
    const working = { JOB_POLL_INTERVAL_MS: WORKER_POLL_INTERVAL_MS, ...settings.serverSettings };
    for (let index = 0; index < settings.instances; index += 1) {
      servers.push(await BenchProcess.start('server.js', serverEnv(target, serving)));
    }
    for (let index = 0; index < settings.workers; index += 1) {
      workers.push(await BenchProcess.start('server.js', serverEnv(target, working)));
    }
    const url = servers[0].url;
    const agent = await agentToken();
    await recordCatalogue(url, agent);
    const customers = await establishCustomers(url, agent, 'filer', settings.customers);

    let next = 0;
    let ranOut = false;
    let filed = 0;
    let refused = 0;
    // Every connection may hold one request already built when the run is told to stop.
    const reserve = settings.clients * 2;
    const request: autocannon.Request = {
      method: 'POST',
      setupRequest: (built) => {
        const customer: BenchCustomer = customers[Math.min(next++, customers.length - 1)];
        return {
          ...built,
          headers: {
            ...built.headers,
            'content-type': 'application/json',
            authorization: `Bearer ${customer.token}`,
          },
          body: JSON.stringify({ query: FILE_CLAIM, variables: { input: claimFiling(customer) } }),
        };
      },
      onResponse: (status, body) => {
        const claim =
          status === 200
            ? (JSON.parse(body) as { data?: { fileClaim?: { claim?: unknown } } }).data?.fileClaim?.claim
            : null;
        if (claim) filed += 1;
        else refused += 1;
      },
    };
    const loadOne = (server: BenchProcess, index: number, seconds: number) =>
      runLoad(
        { url: server.url, connections: clientsOf(settings, index), seconds, requests: [request] },
        (instance) => {
          const watch = setInterval(() => {
            if (next < customers.length - reserve) return;
            ranOut = true;
            instance.stop();
          }, 10);
          instance.once('done', () => clearInterval(watch));
        },
      );
    const load = (seconds: number) =>
      Promise.all(servers.map((server, index) => loadOne(server, index, seconds)));

    if (settings.warmupSeconds > 0) await load(settings.warmupSeconds);
    if (target.databaseUrl) await analyze(target);
    filed = 0;
    refused = 0;
    const everyServer = [...servers, ...workers];
    const countsBefore = await postGraphQL<ClaimCounts>(url, agent, CLAIM_COUNTS);
    const cpuBefore = await cpuMsOf(everyServer);
    const machineBefore = machineCpuSnapshot();
    const runs = await profiled(everyServer, () => load(settings.seconds));
    const machine = machineCpuUse(machineBefore, machineCpuSnapshot());
    const cpuSpent = (await cpuMsOf(everyServer)).map((ms, index) => ms - cpuBefore[index]);
    const cpuMs = sum(cpuSpent);
    const workerCpuMs = sum(cpuSpent.slice(servers.length));
    const counts = await postGraphQL<ClaimCounts>(url, agent, CLAIM_COUNTS);
    const seconds = Math.max(...runs.map((run) => run.seconds));
    return {
      ...summarise(runs),
      perSecond: filed / seconds,
      cpuMsPerFiling: cpuMs / Math.max(1, filed),
      workerCpuMsPerFiling: workerCpuMs / Math.max(1, filed),
      clients: settings.clients,
      instances: settings.instances,
      workers: settings.workers,
      workerPollIntervalMs: Number(working.JOB_POLL_INTERVAL_MS),
      serverSettings: settings.serverSettings ?? {},
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      analyzed: Boolean(target.databaseUrl),
      filed,
      refused,
      claims: counts.all.totalCount,
      screened: counts.screened.totalCount,
      screenedPerSecond: (counts.screened.totalCount - countsBefore.screened.totalCount) / seconds,
      referredToExperts: counts.referred.totalCount,
      ranOut,
      machine,
    };
  } finally {
    await Promise.all([...servers, ...workers].map((server) => server.stop()));
  }
}

/** Brings PostgreSQL's planner statistics up to date, as autovacuum's ANALYZE would. */
async function analyze(target: DatabaseTarget): Promise<void> {
  await withBenchConnection(target, (connection) => connection.execute('analyze'));
}

/** The clients of instance `index`: an even share, the first instances taking any remainder. */
function clientsOf(settings: FilingSettings, index: number): number {
  return (
    Math.floor(settings.clients / settings.instances) +
    (index < settings.clients % settings.instances ? 1 : 0)
  );
}

/** Each server's CPU time so far, in the order given. */
function cpuMsOf(servers: BenchProcess[]): Promise<number[]> {
  return Promise.all(servers.map((server) => server.cpuMs()));
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Runs `work` with every server profiling (when profiles were asked for). */
function profiled<T>(servers: BenchProcess[], work: () => Promise<T>): Promise<T> {
  return servers.reduce<() => Promise<T>>((inner, server) => () => server.profile(inner), work)();
}
