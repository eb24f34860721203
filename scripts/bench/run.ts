/**
 * `npm run bench`: claimgraph's figures in one markdown table, from one run on loopback with
 * bounded durations. Every part runs in a scratch database of its own, made and dropped here: an
 * SQLite file by default, a PostgreSQL database next to DATABASE_URL's when that is set. Servers
 * run in child processes; load comes from this one.
 */
import path from 'node:path';
import type { DatabaseTarget } from '../../src/db/orm';
import { createScratchDatabase } from '../../src/db/scratch-database';
import { parseBenchOptions } from './bench-options';
import { describeEnvironment } from './bench-environment';
import { benchClaimStatus } from './claim-status-bench';
import { benchFanout } from './fanout';
import { benchFiling } from './filing-bench';
import { type BenchResults, resultsTable } from './results-table';
import { benchSqlStatements } from './sql-statements-bench';
import { benchWebhooks } from './webhook-bench';

async function inScratchDatabase<T>(work: (target: DatabaseTarget) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase('claimgraph_bench', process.env.DATABASE_URL);
  // An interrupted bench still drops its database (the servers, in its process group, stop too).
  const interrupted = () => void database.drop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await work(database.target);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await database.drop();
  }
}

/** Progress goes to stderr, so that stdout is the table alone. */
function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function main(): Promise<void> {
  const onPostgres = Boolean(process.env.DATABASE_URL);
  const options = parseBenchOptions(process.argv.slice(2), onPostgres);
  if (options.cpuProfileDir) process.env.BENCH_CPU_PROF_DIR = path.resolve(options.cpuProfileDir);
  const results: BenchResults = { onPostgres };
  const environment = await inScratchDatabase(describeEnvironment);
  const load = { warmupSeconds: options.warmupSeconds, seconds: options.seconds };

  if (options.sections.includes('http')) {
    progress('claim status over HTTP: raw, graphql-js, claimgraph');
    results.claimStatus = await inScratchDatabase((target) =>
      benchClaimStatus(target, { ...load, connections: options.connections }),
    );
  }
  if (options.sections.includes('sql')) {
    progress('SQL statements per claims page');
    results.statements = await inScratchDatabase(benchSqlStatements);
  }
  if (options.sections.includes('fanout')) {
    results.fanout = [];
    for (const subscribers of [100, 1000]) {
      progress(`subscription fan-out to ${subscribers}`);
      results.fanout.push(
        await inScratchDatabase((target) =>
          benchFanout({ subscribers, warmupEvents: options.fanoutWarmupEvents, events: 20 }, target),
        ),
      );
    }
  }
  if (options.sections.includes('filing')) {
    progress(
      `fileClaim: ${options.filingCustomers} customers first, then ${options.filingClients} clients on ${options.filingInstances} instance(s)`,
    );
    results.filing = await inScratchDatabase((target) =>
      benchFiling(target, {
        seconds: options.seconds,
        warmupSeconds: options.filingWarmupSeconds,
        clients: options.filingClients,
        instances: options.filingInstances,
        workers: options.filingWorkers,
        customers: options.filingCustomers,
        serverSettings: options.filingServerSettings,
      }),
    );
  }

  if (options.sections.includes('webhooks')) {
    results.webhooks = [];
    for (const failingShare of [0, 0.1]) {
      progress(
        `webhooks to ${options.webhookEndpoints} endpoints${failingShare > 0 ? `, ${failingShare * 100} % of them failing or hanging` : ''}`,
      );
      results.webhooks.push(
        await inScratchDatabase((target) =>
          benchWebhooks(
            {
              endpoints: options.webhookEndpoints,
              failingShare,
              warmupEvents: 2,
              events: options.webhookEvents,
            },
            target,
          ),
        ),
      );
    }
  }

  console.log(`claimgraph bench, ${new Date().toISOString().slice(0, 10)}`);
  console.log('');
  for (const line of environment) console.log(`${line}  `);
  console.log('');
  for (const line of resultsTable(results)) console.log(line);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
