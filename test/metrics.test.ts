import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { FileClaimDocument } from './__generated__/graphql';
import { claimInput, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';
import { until } from './support/waiting';

/** `/metrics`: what an operator's Prometheus reads of one instance. */
let t: TestServer;
let market: Marketplace;

beforeAll(async () => {
  t = await startTestServer({ RATE_LIMIT_BURST: '20', RATE_LIMIT_PER_SECOND: '1' });
  market = await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

/** Every sample of the exposition: `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(new URL('/metrics', t.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

describe('/metrics', () => {
  it('counts requests by operation and outcome, with their latency', async () => {
    const agent = await t.agent();
    const before = await scrape();
    const key = 'claimgraph_http_requests_total{operation="claims",outcome="OK"}';
    await agent.post({ query: '{ claims(first: 1) { totalCount } }' });
    await agent.post({ query: '{ claims(first: 1) { totalCount } }' });
    await agent.post({ query: '{ viewer { role password } }' });
    const after = await scrape();
    expect((after.get(key) ?? 0) - (before.get(key) ?? 0)).toBe(2);
    const refused = 'claimgraph_http_requests_total{operation="-",outcome="GRAPHQL_VALIDATION_FAILED"}';
    expect((after.get(refused) ?? 0) - (before.get(refused) ?? 0)).toBe(1);
    const timed = 'claimgraph_http_request_duration_seconds_count{operation="claims"}';
    expect((after.get(timed) ?? 0) - (before.get(timed) ?? 0)).toBe(2);
    expect(after.get('claimgraph_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('shows due work by kind and how long it has waited', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a1'].id),
    });
    expect(fileClaim.userErrors).toEqual([]);
    t.clock.advance(90_000);
    const samples = await scrape();
    expect(samples.get('claimgraph_jobs_due{kind="SCREEN_CLAIM"}')).toBe(1);
    expect(samples.get('claimgraph_jobs_lag_seconds{kind="SCREEN_CLAIM"}')).toBe(90);
    await t.runJobs();
    expect((await scrape()).get('claimgraph_jobs_due{kind="SCREEN_CLAIM"}')).toBeUndefined();
  });

  it('shows live subscriptions, sockets, the database pool and rate-limit refusals', async () => {
    const token = (await t.as(Role.AGENT, 'agent-metrics')).token!;
    const socket = createClient({
      url: t.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    socket.subscribe(
      { query: 'subscription { claimStatusChanged { cursor } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    try {
      await until(
        async () => (await scrape()).get('claimgraph_subscriptions{feed="claim_events"}') === 1,
        'the subscription to show',
      );
      const samples = await scrape();
      expect(samples.get('claimgraph_subscriptions{feed="sockets"}')).toBe(1);
      expect(samples.get('claimgraph_event_feed_lag_events')).toBe(0);
      expect(samples.get('claimgraph_db_pool_connections{state="free"}')).toBeGreaterThanOrEqual(0);
      expect(samples.get('claimgraph_webhook_endpoints_due{measure="endpoints"}')).toBe(0);
    } finally {
      await socket.dispose();
    }

    const before = (await scrape()).get('claimgraph_rate_limit_refusals_total') ?? 0;
    const busy = await t.as(Role.SELLER, 'sell-metrics-busy');
    const statuses = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await busy.post({ query: '{ viewer { role } }' })).status);
    const refusedNow = statuses.filter((status) => status === 429).length;
    expect(refusedNow).toBeGreaterThan(0);
    expect(((await scrape()).get('claimgraph_rate_limit_refusals_total') ?? 0) - before).toBe(refusedNow);
  });
});
