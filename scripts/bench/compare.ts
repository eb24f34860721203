/**
 * Side by side: the CPU a filing of this build against another build's, for judging a change
 * whose effect is smaller than the machine's drift. On these machines a run's speed moves by 10–30 %
 * from one run to the next, and two runs of the same code a few minutes apart differed by up to
 * 8 %; two stacks running at once meet the same machine.
 *
 * Each stack is a serving instance and a worker instance (as the fileClaim bench deploys them), on a
 * copy of one PostgreSQL database holding the catalogue and the customers, filing at the same fixed
 * rate at the same time, low enough that neither stack saturates the machine. Each pair of stacks
 * starts on fresh copies. Without a baseline, both stacks run this build: the spread of its ratios
 * is the noise to judge a change's ratios against; with `--env KEY=VALUE` (repeatable), this build's
 * stacks run with those settings, to judge a setting instead.
 *
 *   npm run build && DATABASE_URL=postgres://… node dist/scripts/bench/compare.js
 *     [--baseline=DIR] [--env KEY=VALUE …] [--pairs=4] [--rate=150] [--warmup=10] [--seconds=20]
 *
 * DIR is a checkout with its dist/ built (`git worktree add DIR REF`, node_modules linked, `npm run
 * build`). Its migrations must be those of this build's, since both run on copies of one database.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch-database';
import {
  agentToken,
  type BenchCustomer,
  claimFiling,
  establishCustomers,
  FILE_CLAIM,
  recordCatalogue,
} from './bench-marketplace';
import { withBenchConnection } from './bench-environment';
import { settingsOf } from './bench-options';
import { BenchProcess } from './bench-process';
import { runLoad } from './http-load';
import { serverEnv } from './server-env';

const USAGE =
  'DATABASE_URL=postgres://… node dist/scripts/bench/compare.js [--baseline=DIR] [--env KEY=VALUE …] [--pairs=4] [--rate=150] [--warmup=10] [--seconds=20]';
/** Connections each stack's load is spread over: enough that the fixed rate never waits for an answer. */
const CONNECTIONS = 32;

interface CompareOptions {
  serverUrl: string;
  /** server.js of the build compared against. */
  baselineServer: string;
  /** Settings of this build's servers beyond the bench's. */
  settings: Record<string, string>;
  pairs: number;
  rate: number;
  warmupSeconds: number;
  seconds: number;
}

interface StackFigures {
  filed: number;
  servingCpuMsPerFiling: number;
  workerCpuMsPerFiling: number;
}

/** One serving instance and one worker on a database of its own. */
class Stack {
  private constructor(
    private readonly database: ScratchDatabase,
    private readonly serving: BenchProcess,
    private readonly worker: BenchProcess,
  ) {}

  static async start(
    serverScript: string,
    serverUrl: string,
    template: string,
    settings: Record<string, string>,
  ): Promise<Stack> {
    const database = await createScratchDatabase('claimgraph_compare', serverUrl, template);
    const started: BenchProcess[] = [];
    try {
      started.push(
        await BenchProcess.start(
          serverScript,
          serverEnv(database.target, { ...settings, JOB_POLL_INTERVAL_MS: '0' }),
        ),
      );
      started.push(
        await BenchProcess.start(
          serverScript,
          serverEnv(database.target, { ...settings, JOB_POLL_INTERVAL_MS: '100' }),
        ),
      );
      return new Stack(database, started[0], started[1]);
    } catch (error) {
      await Promise.all(started.map((server) => server.stop()));
      await database.drop();
      throw error;
    }
  }

  get url(): string {
    return this.serving.url;
  }

  analyze(): Promise<unknown> {
    return withBenchConnection(this.database.target, (connection) => connection.execute('analyze'));
  }

  async cpuMs(): Promise<[number, number]> {
    return [await this.serving.cpuMs(), await this.worker.cpuMs()];
  }

  async stop(): Promise<void> {
    await Promise.all([this.serving.stop(), this.worker.stop()]);
    await this.database.drop();
  }
}

function parseCompareOptions(args: string[]): CompareOptions {
  const { values } = parseArgs({
    args,
    options: {
      baseline: { type: 'string' },
      env: { type: 'string', multiple: true },
      pairs: { type: 'string' },
      rate: { type: 'string' },
      warmup: { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error(`the comparison runs on PostgreSQL: set DATABASE_URL\n${USAGE}`);
  const count = (name: 'pairs' | 'rate' | 'warmup' | 'seconds', fallback: number) => {
    const raw = values[name];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive integer\n${USAGE}`);
    return value;
  };
  return {
    serverUrl,
    baselineServer: values.baseline
      ? path.resolve(values.baseline, 'dist/scripts/bench/server.js')
      : path.join(__dirname, 'server.js'),
    settings: settingsOf(values.env ?? [], '--env', USAGE),
    pairs: count('pairs', 4),
    rate: count('rate', 150),
    warmupSeconds: count('warmup', 10),
    seconds: count('seconds', 20),
  };
}

/** The catalogue and `count` customers, written through this build into a database of their own. */
async function templateDatabase(
  serverUrl: string,
  count: number,
): Promise<{ database: ScratchDatabase; customers: BenchCustomer[] }> {
  const database = await createScratchDatabase('claimgraph_compare_template', serverUrl);
  let server: BenchProcess | undefined;
  try {
    server = await BenchProcess.start('server.js', serverEnv(database.target, { JOB_POLL_INTERVAL_MS: '0' }));
    const agent = await agentToken();
    await recordCatalogue(server.url, agent);
    const customers = await establishCustomers(server.url, agent, 'compare', count);
    await server.stop();
    return { database, customers };
  } catch (error) {
    await server?.stop();
    await database.drop();
    throw error;
  }
}

/** Files at `rate` a second on both stacks at once, customers in the same order; answers each stack's filed count. */
async function fileOnBoth(
  stacks: Stack[],
  customers: BenchCustomer[],
  next: { index: number },
  rate: number,
  seconds: number,
): Promise<number[]> {
  const filed = stacks.map(() => 0);
  await Promise.all(
    stacks.map((stack, index) => {
      let own = next.index;
      return runLoad({
        url: stack.url,
        connections: CONNECTIONS,
        seconds,
        overallRate: rate,
        requests: [
          {
            method: 'POST',
            setupRequest: (built) => {
              const customer = customers[Math.min(own++, customers.length - 1)];
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
              if (
                status === 200 &&
                (JSON.parse(body) as { data?: { fileClaim?: { claim?: unknown } } }).data?.fileClaim?.claim
              )
                filed[index] += 1;
            },
          },
        ],
      });
    }),
  );
  // Customers are used once on each stack's own copy: both stacks draw from the same point.
  next.index += Math.ceil(rate * seconds * 1.2) + CONNECTIONS * 2;
  return filed;
}

async function measurePair(
  options: CompareOptions,
  template: string,
  customers: BenchCustomer[],
  baselineFirst: boolean,
): Promise<[StackFigures, StackFigures]> {
  const builds = [
    { script: options.baselineServer, settings: {} },
    { script: 'server.js', settings: options.settings },
  ];
  const stacks: Stack[] = [];
  try {
    for (const build of baselineFirst ? builds : [...builds].reverse())
      stacks.push(await Stack.start(build.script, options.serverUrl, template, build.settings));
    if (!baselineFirst) stacks.reverse();
    const next = { index: 0 };
    await fileOnBoth(stacks, customers, next, options.rate, options.warmupSeconds);
    await Promise.all(stacks.map((stack) => stack.analyze()));
    const before = await Promise.all(stacks.map((stack) => stack.cpuMs()));
    const filed = await fileOnBoth(stacks, customers, next, options.rate, options.seconds);
    const after = await Promise.all(stacks.map((stack) => stack.cpuMs()));
    const figures = stacks.map((_, index) => ({
      filed: filed[index],
      servingCpuMsPerFiling: (after[index][0] - before[index][0]) / Math.max(1, filed[index]),
      workerCpuMsPerFiling: (after[index][1] - before[index][1]) / Math.max(1, filed[index]),
    }));
    return [figures[0], figures[1]];
  } finally {
    await Promise.all(stacks.map((stack) => stack.stop()));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const options = parseCompareOptions(process.argv.slice(2));
  const perPair = Math.ceil(options.rate * (options.warmupSeconds + options.seconds) * 1.2) + 4 * CONNECTIONS;
  console.error(
    `[compare] writing ${perPair} customers; then ${options.pairs} pairs at ${options.rate} filings/s each, ${options.warmupSeconds} s + ${options.seconds} s`,
  );
  const { database, customers } = await templateDatabase(options.serverUrl, perPair);
  const template = new URL(database.target.databaseUrl!).pathname.slice(1);
  const rows = [
    '| pair | filed (baseline / this) | serving ms/filing (baseline → this) | worker ms/filing (baseline → this) | serving ratio | worker ratio |',
    '|---|---|---|---|---|---|',
  ];
  const ratios = { serving: [] as number[], worker: [] as number[] };
  try {
    for (let pair = 1; pair <= options.pairs; pair += 1) {
      const [baseline, current] = await measurePair(options, template, customers, pair % 2 === 1);
      const serving = current.servingCpuMsPerFiling / baseline.servingCpuMsPerFiling;
      const worker = current.workerCpuMsPerFiling / baseline.workerCpuMsPerFiling;
      ratios.serving.push(serving);
      ratios.worker.push(worker);
      rows.push(
        `| ${pair} | ${baseline.filed} / ${current.filed} | ${baseline.servingCpuMsPerFiling.toFixed(3)} → ${current.servingCpuMsPerFiling.toFixed(3)} | ` +
          `${baseline.workerCpuMsPerFiling.toFixed(3)} → ${current.workerCpuMsPerFiling.toFixed(3)} | ${serving.toFixed(3)} | ${worker.toFixed(3)} |`,
      );
      console.error(rows.at(-1));
    }
  } finally {
    await database.drop();
  }
  rows.push(`| median | | | | ${median(ratios.serving).toFixed(3)} | ${median(ratios.worker).toFixed(3)} |`);
  console.log(rows.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
