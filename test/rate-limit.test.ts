import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { ViewerDocument } from './__generated__/graphql';
import { startTestServer, type TestServer } from './support/test-server';
import { sleep, until } from './support/waiting';

let t: TestServer;

beforeAll(async () => {
  // Three requests at once, then one a second, per principal.
  t = await startTestServer({ RATE_LIMIT_BURST: '3', RATE_LIMIT_PER_SECOND: '1' });
  // The buckets refill by performance.now(): held still, a slow machine refills nothing between
  // requests, and the test moves it on when a refill is the point.
  vi.useFakeTimers({ toFake: ['performance'] });
});

afterAll(async () => {
  vi.useRealTimers();
  await t?.stop();
});

async function viewerStatus(token?: string) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] },
  };
}

describe('rate limiting per principal', () => {
  it('allows a burst, then answers THROTTLED with when to retry; other principals are not affected; the bucket refills', async () => {
    const seller = await issueToken(t.config.auth.jwtSecret!, { role: Role.SELLER, subject: 'sell-busy' });
    for (let i = 0; i < 3; i += 1) expect((await viewerStatus(seller)).status).toBe(200);
    const refused = await viewerStatus(seller);
    expect(refused).toEqual({
      status: 429,
      retryAfter: '1',
      body: {
        errors: [
          {
            message: 'Too many requests: retry after 1 s',
            extensions: { code: 'THROTTLED', retryAfterSeconds: 1 },
          },
        ],
      },
    });
    // Another principal has its own allowance, and so has the same subject under another role.
    const customer = await t.as(Role.CUSTOMER, 'cust-calm');
    expect((await customer.data(ViewerDocument)).viewer).toEqual({ role: 'CUSTOMER', subject: 'cust-calm' });
    expect(
      (
        await viewerStatus(
          await issueToken(t.config.auth.jwtSecret!, { role: Role.INSURER, subject: 'sell-busy' }),
        )
      ).status,
    ).toBe(200);
    vi.advanceTimersByTime(1000);
    expect((await viewerStatus(seller)).status).toBe(200);
    expect((await viewerStatus(seller)).status).toBe(429);
  });

  it('anonymous callers share the allowance of their address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await viewerStatus()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('limits subscriptions over the WebSocket too', async () => {
    const token = await issueToken(t.config.auth.jwtSecret!, {
      role: Role.AGENT,
      subject: 'agent-many-streams',
    });
    const client = createClient({
      url: t.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    try {
      const outcomes: string[] = Array.from({ length: 5 }, () => 'open');
      const stops = outcomes.map((_, index) =>
        client.subscribe(
          { query: 'subscription { claimStatusChanged { cursor } }' },
          {
            next: () => undefined,
            error: (error) => {
              outcomes[index] = JSON.stringify(error).includes('THROTTLED')
                ? 'THROTTLED'
                : `error ${JSON.stringify(error)}`;
            },
            complete: () => (outcomes[index] = 'complete'),
          },
        ),
      );
      // Counted, not timed: the check waits for the two refusals however long they take, then
      // gives a third, wrongly refused, a moment to show.
      await until(() => outcomes.filter((outcome) => outcome !== 'open').length >= 2, 'two refusals');
      await sleep(100);
      for (const stop of stops) stop();
      expect(outcomes.toSorted()).toEqual(['THROTTLED', 'THROTTLED', 'open', 'open', 'open']);
    } finally {
      await client.dispose();
    }
  });
});
