import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';

/** The server as it runs in production: a process of the compiled build, spoken to over the network. */
export interface ServerProcess {
  name: string;
  process: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr so far: its logs. */
  output(): string;
  /** Settles when it exits: its exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Compiles the server (`tsconfig.build.json`) into `.build/<name>`, inside the project so that
 * it finds the project's packages: what `npm run build` makes, started with `node`.
 */
export async function buildServer(name: string): Promise<string> {
  const outDir = path.resolve('.build', name);
  await promisify(execFile)(path.resolve('node_modules', '.bin', 'tsc'), [
    '-p',
    'tsconfig.build.json',
    '--outDir',
    outDir,
  ]);
  return path.join(outDir, 'src', 'main.js');
}

/**
 * Starts a built server and waits for the URL it prints. Defaults: an ephemeral port on loopback,
 * the development secret, no demo data, background work off; `env` adds to or replaces them.
 */
export function startServerProcess(
  main: string,
  name: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      JOB_POLL_INTERVAL_MS: '0',
      NOTIFICATION_POLL_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 30_000);
    const listening = () => {
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', listening);
      resolve({ name, process: child, url: match[1], output: () => output, exited });
    };
    child.stdout.on('data', listening);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code ?? signal}: ${output}`));
    });
  });
}
