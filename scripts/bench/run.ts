/**
 * `npm run bench`: measurements reported as figures, on loopback with bounded durations.
 * The embedded SQLite database by default; PostgreSQL when DATABASE_URL is set.
 */
import os from 'node:os';
import { benchFanout } from './fanout';

async function main(): Promise<void> {
  const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  console.log(`claimgraph bench — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${database}`);
  console.log('');
  console.log('Subscription fan-out (claimEvents, one event every 50 ms)');
  console.log('| subscribers | events | delivered | p50 commit→receipt | p99 commit→receipt | heap per idle subscription |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const subscribers of [100, 1000]) {
    const result = await benchFanout(subscribers, 20, process.env);
    console.log(
      `| ${result.subscribers} | ${result.events} | ${(result.deliveredShare * 100).toFixed(1)} % | ${result.p50Ms} ms | ${result.p99Ms} ms | ${(result.bytesPerIdleSubscription / 1024).toFixed(1)} KB |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
