import http from 'node:http';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { createScratchDatabase, type ScratchDatabase } from './support/database';
import { startServerOn } from './support/test-server';
import { buildServer, type ServerProcess, startServerProcess } from './support/server-process';
import { until } from './support/waiting';

/**
 * SIGTERM, as an orchestrator sends it before replacing an instance: the process stops accepting,
 * lets the request in flight finish, closes subscriptions with 1001, closes the database and exits 0.
 */
let database: ScratchDatabase;
let main: string;
let instance: ServerProcess | undefined;

beforeAll(async () => {
  [main, database] = await Promise.all([buildServer('shutdown'), createScratchDatabase()]);
});

afterAll(async () => {
  instance?.process.kill('SIGKILL');
  await database?.drop();
});

/**
 * A POST held in flight: its headers ask to continue (`Expect: 100-continue`), and Node answers
 * "100 Continue" as it hands the request to the application, so once `received` settles the
 * server holds the request; its body follows on `send()`.
 */
function heldRequest(url: string, token: string, body: string) {
  let send = (): unknown => undefined;
  let received!: Promise<void>;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          expect: '100-continue',
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
      },
    );
    request.on('error', reject);
    received = new Promise((resolveReceived) => request.once('continue', () => resolveReceived()));
    send = () => request.end(body);
    request.flushHeaders();
  });
  return { received, answer, send: () => send() };
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(new URL('/healthz', url));
    return false;
  } catch {
    return true;
  }
}

describe('SIGTERM', () => {
  it('drains: the request in flight is answered, subscriptions close with 1001, the database closes, exit 0', async () => {
    instance = await startServerProcess(main, 'draining', {
      ...(database.target.databaseUrl
        ? { DATABASE_URL: database.target.databaseUrl }
        : { SQLITE_PATH: database.target.sqlitePath }),
      // As deployed: Apollo's own signal handling is on outside NODE_ENV=test.
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      // Long enough that the drain never runs out on a busy machine: the test finishes the request.
      SHUTDOWN_GRACE_MS: '120000',
    });
    const token = await issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.AGENT, subject: 'agent-drain' });

    const closes: number[] = [];
    const socket = createClient({
      url: instance.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    let subscribed = false;
    socket.subscribe(
      { query: 'subscription { claimEvents(after: "0") { cursor } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    socket.on('connected', () => (subscribed = true));
    await until(() => subscribed, 'the subscription to be accepted');

    const inFlight = heldRequest(
      instance.url,
      token,
      JSON.stringify({ query: '{ viewer { role subject } }' }),
    );
    await inFlight.received;
    instance.process.kill('SIGTERM');
    await until(() => instance!.output().includes('"msg":"draining"'), 'the drain to start');
    await until(() => refusesConnections(instance!.url), 'new connections to be refused');
    expect(closes).toEqual([1001]);

    inFlight.send();
    const answer = await inFlight.answer;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).data).toEqual({ viewer: { role: 'AGENT', subject: 'agent-drain' } });

    expect(await instance.exited).toEqual({ code: 0, signal: null });
    expect(instance.output()).toContain('"msg":"stopped"');
    await socket.dispose();
  });

  it('is left to the process: starting the server in production installs no signal handler of its own', async () => {
    const before = { SIGTERM: process.listenerCount('SIGTERM'), SIGINT: process.listenerCount('SIGINT') };
    const t = await startServerOn(database.target, { env: { NODE_ENV: 'production', HOST: '127.0.0.1' } });
    try {
      // A handler of the server's would stop it and raise the signal again: exit 143, the database open.
      expect({ SIGTERM: process.listenerCount('SIGTERM'), SIGINT: process.listenerCount('SIGINT') }).toEqual(
        before,
      );
    } finally {
      await t.stop();
    }
  });
});
