import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { startTestServer, type TestServer } from './support/test-server';
import { sleep, until } from './support/waiting';

/**
 * One client may hold WS_MAX_CONNECTIONS_PER_PRINCIPAL sockets per instance and
 * WS_MAX_SUBSCRIPTIONS_PER_SOCKET operations on each: past them it is refused, and what it
 * already holds goes on.
 */
let t: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestServer({ WS_MAX_CONNECTIONS_PER_PRINCIPAL: '3', WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2' });
});

afterAll(async () => {
  for (const client of clients) void client.dispose();
  await t?.stop();
});

interface Socket {
  client: Client;
  /** Settles when the server acknowledges the connection, or with the code it closed it with. */
  outcome: Promise<'connected' | { code: number; reason: string }>;
}

async function connect(subject: string): Promise<Socket> {
  const token = await issueToken(t.config.auth.jwtSecret!, { role: Role.CUSTOMER, subject });
  let settle!: (outcome: 'connected' | { code: number; reason: string }) => void;
  const outcome = new Promise<'connected' | { code: number; reason: string }>(
    (resolve) => (settle = resolve),
  );
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => settle('connected'),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        settle({ code, reason });
      },
    },
  });
  clients.push(client);
  return { client, outcome };
}

/** Subscribes to status changes; the errors it ends with, if any, are collected. */
function subscribe(client: Client) {
  const errors: { code?: unknown; message: string }[] = [];
  let ended = false;
  const stop = client.subscribe(
    { query: 'subscription { claimStatusChanged { cursor } }' },
    {
      next: () => undefined,
      error: (error) => {
        ended = true;
        if (Array.isArray(error))
          for (const item of error as { message: string; extensions?: { code?: unknown } }[])
            errors.push({ code: item.extensions?.code, message: item.message });
      },
      complete: () => (ended = true),
    },
  );
  return { errors, stop, ended: () => ended };
}

describe('WebSocket limits', () => {
  it('a principal past its sockets is refused with 4291; others, and the same one after closing one, connect', async () => {
    const held = await Promise.all([connect('cust-a'), connect('cust-a'), connect('cust-a')]);
    expect(await Promise.all(held.map((socket) => socket.outcome))).toEqual([
      'connected',
      'connected',
      'connected',
    ]);
    const refused = await connect('cust-a');
    const closed = await refused.outcome;
    expect(closed).toEqual({ code: 4291, reason: expect.any(String) });
    expect(JSON.parse((closed as { reason: string }).reason)).toEqual({
      code: 'TOO_MANY_CONNECTIONS',
      limit: 3,
    });

    expect(await (await connect('cust-b')).outcome).toBe('connected');

    await held[0].client.dispose();
    // The server counts the socket out once it has seen it close.
    let again: Socket | undefined;
    await until(async () => {
      again = await connect('cust-a');
      if ((await again.outcome) === 'connected') return true;
      return false;
    }, 'a freed socket to be counted out');
    expect(await again!.outcome).toBe('connected');
  });

  it('a socket past its operations refuses the next with TOO_MANY_SUBSCRIPTIONS and keeps the others', async () => {
    const socket = await connect('cust-c');
    expect(await socket.outcome).toBe('connected');
    const first = subscribe(socket.client);
    const second = subscribe(socket.client);
    const third = subscribe(socket.client);
    await until(() => third.ended(), 'the third subscription to be answered');
    expect(third.errors).toEqual([{ code: 'TOO_MANY_SUBSCRIPTIONS', message: expect.stringContaining('2') }]);
    // Time for a wrongly refused or ended subscription to show.
    await sleep(100);
    expect([first.ended(), second.ended()]).toEqual([false, false]);

    first.stop();
    const fourth = subscribe(socket.client);
    await sleep(100);
    expect(fourth.ended()).toBe(false);
    expect(fourth.errors).toEqual([]);
  });
});
