/**
 * A claimgraph instance for benchmarks, run as its own process so that its memory can be measured
 * apart from the load generator's. It reports `{ ready: url }` once listening, and answers
 * `'memory'` messages with its heap use after a full garbage collection (needs --expose-gc), and
 * `'commit-times'` with when each claim event committed (by cursor; recorded when
 * BENCH_COMMIT_TIMES=true).
 */
import 'reflect-metadata';
import { answerProfileMessages } from './measured-profile';
import { launch } from '../../src/main';
import { CommitTimes } from './commit-times';

async function main(): Promise<void> {
  const launched = await launch(process.env, { write: () => undefined });
  const commits = new CommitTimes();
  // Only the fan-out bench asks for commit times: other benches should not pay for recording them.
  if (process.env.BENCH_COMMIT_TIMES === 'true')
    launched.orm.em.getEventManager().registerSubscriber(commits);
  // Should the bench die without stopping it, the server goes too.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (message === 'commit-times') process.send?.({ commitTimes: Object.fromEntries(commits.committedAt) });
    if (message === 'memory') {
      (global as { gc?: () => void }).gc?.();
      process.send?.({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
    }
    if (message === 'stop') {
      void launched.shutdown().then(() => process.exit(0));
    }
  });
  answerProfileMessages('claimgraph');
  process.send?.({ ready: launched.server.url });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
