/**
 * A server under measurement, forked into a process of its own so that it never shares an event
 * loop with the load generator (this process). The child reports `{ ready: url }` once listening,
 * answers messages by name, and exits on `'stop'`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

export type ChildMessage = Record<string, unknown>;

export class BenchProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly profiling: boolean,
  ) {}

  /** Forks `script` (a file next to this one, or an absolute path) and waits until it listens. */
  static async start(script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<BenchProcess> {
    const child = fork(path.resolve(__dirname, script), [], {
      execArgv,
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<ChildMessage>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`${script} exited (${code}) before it was ready`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as ChildMessage);
      });
    });
    return new BenchProcess(child, String(ready.ready), Boolean(env.BENCH_CPU_PROF_DIR));
  }

  /** Sends `message` and waits for the child's reply. */
  ask<T extends ChildMessage>(message: string): Promise<T> {
    const reply = new Promise<T>((resolve) => this.child.once('message', (answer) => resolve(answer as T)));
    this.child.send(message);
    return reply;
  }

  /** CPU time the child has used so far (user + system), in milliseconds. */
  async cpuMs(): Promise<number> {
    const { cpu } = await this.ask<{ cpu: NodeJS.CpuUsage }>('cpu');
    return (cpu.user + cpu.system) / 1000;
  }

  /** Starts and stops profiling the child's CPU (when BENCH_CPU_PROF_DIR is in its environment). */
  async profile<T>(work: () => Promise<T>): Promise<T> {
    if (!this.profiling) return work();
    await this.ask('profile-start');
    try {
      return await work();
    } finally {
      await this.ask('profile-stop');
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    await exited;
  }
}
