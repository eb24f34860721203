import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';
import { until } from './support/waiting';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function probe(t: TestServer, path: '/healthz' | '/readyz') {
  const response = await fetch(new URL(path, t.url));
  return { status: response.status, body: await response.json() };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('liveness and readiness', () => {
  it('an instance on its database alone is alive and ready', async () => {
    const t = await startTestServer();
    try {
      expect(await probe(t, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await probe(t, '/readyz')).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'up' } },
      });
    } finally {
      await t.stop();
    }
  });

  it('with Redis reachable, ready; with Redis unreachable, still serving and degraded', async () => {
    const reachable = await startTestServer({ REDIS_URL });
    try {
      await until(
        async () => JSON.stringify((await probe(reachable, '/readyz')).body).includes('"redis":"up"'),
        'Redis to connect',
      );
      expect(await probe(reachable, '/readyz')).toEqual({
        status: 200,
        body: { status: 'ready', checks: { database: 'up', redis: 'up' } },
      });
    } finally {
      await reachable.stop();
    }
    const unreachable = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    try {
      expect(await probe(unreachable, '/readyz')).toEqual({
        status: 200,
        body: { status: 'degraded', checks: { database: 'up', redis: 'down' } },
      });
      expect(await probe(unreachable, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      await unreachable.stop();
    }
  });

  it('without its database the instance is alive but not ready (503)', async () => {
    const t = await startTestServer();
    try {
      await t.orm.close(true);
      expect(await probe(t, '/readyz')).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { database: 'down' } },
      });
      expect(await probe(t, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      await t.stop();
    }
  });
});
