/**
 * CPU profiles of a bench server's measured periods only (not its start-up or the bench's data
 * set-up): `'profile-start'` starts V8's sampling profiler, `'profile-stop'` writes a .cpuprofile
 * into BENCH_CPU_PROF_DIR, for Chrome DevTools or any .cpuprofile viewer. Off without that variable.
 * Beside it goes a .heapprofile of where the period's allocations were made, garbage included:
 * what the collector's share of the CPU profile is spent on.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export function answerProfileMessages(name: string): void {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (!dir) return;
  const session = new Session();
  session.connect();
  let count = 0;
  const answer = async (message: unknown) => {
    if (message === 'profile-start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 64 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      process.send?.({ profiling: true });
    }
    if (message === 'profile-stop') {
      const { profile } = await session.post('Profiler.stop');
      const { profile: allocations } = await session.post('HeapProfiler.stopSampling');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}-${process.pid}-${++count}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      fs.writeFileSync(file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(allocations));
      process.send?.({ profile: file });
    }
  };
  process.on('message', (message) => void answer(message));
}
