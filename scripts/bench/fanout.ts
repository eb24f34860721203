/**
 * Subscription fan-out: N idle subscribers on one instance, then a series of committed events.
 * Reports the share delivered, latency from the commit of the event's transaction (recorded in the
 * server) to its receipt by each subscriber (p50/p99), and the
 * instance's heap per idle subscription.
 *
 * The first events run through code the new server process has not yet compiled, and took twice
 * as long to reach the last subscriber as later ones; like the other loads, the latency is taken
 * after warm-up events, whose p99 is reported beside it.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../../src/auth/role';
import { issueToken } from '../../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import type { DatabaseTarget } from '../../src/db/orm';
import { BenchProcess } from './bench-process';
import { wallClockMs } from './commit-times';
import { postGraphQL as post } from './graphql-post';
import { percentile } from './percentile';
import { serverEnv } from './server-env';

export interface FanoutResult {
  subscribers: number;
  events: number;
  deliveredShare: number;
  p50Ms: number;
  p99Ms: number;
  warmupEvents: number;
  /** p99 of the warm-up events alone. */
  warmupP99Ms: number;
  bytesPerIdleSubscription: number;
}

export interface FanoutLoad {
  subscribers: number;
  /** Events sent first, left out of the latencies (not of the share delivered). */
  warmupEvents: number;
  events: number;
}

export async function benchFanout(
  { subscribers, warmupEvents, events }: FanoutLoad,
  target: DatabaseTarget,
): Promise<FanoutResult> {
  const server = await BenchProcess.start(
    'server.js',
    serverEnv(target, { DEMO_DATA: 'true', JOB_POLL_INTERVAL_MS: '0', BENCH_COMMIT_TIMES: 'true' }),
    ['--expose-gc'],
  );
  const heapUsed = async () => (await server.ask<{ heapUsed: number }>('memory')).heapUsed;
  const url = server.url;
  const clients: Client[] = [];
  try {
    const agent = await issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.AGENT, subject: 'agent-bench' });
    const customer = await issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.CUSTOMER, subject: 'cust-1001' });
    // A claim to add evidence to: each addition commits one event.
    const filed = await post(
      url,
      customer,
      `mutation($input: FileClaimInput!) { fileClaim(input: $input) { claim { id } userErrors { code } } }`,
      {
        input: {
          orderId: Buffer.from('Order:1').toString('base64url'),
          kinds: ['PROPERTY_DAMAGE'],
          incidentDate: new Date().toISOString().slice(0, 10),
          description: 'Benchmark claim',
          amountClaimed: { amount: '50.00', currencyCode: 'USD' },
          idempotencyKey: `bench-${Date.now()}`,
        },
      },
    );
    const claimId = filed.fileClaim.claim.id as string;

    const before = await heapUsed();
    /** Receipt times by cursor, one entry per subscriber that received the event. */
    const receipts: { cursor: string; at: number }[] = [];
    let received = 0;
    let ready = 0;
    for (let index = 0; index < subscribers; index += 1) {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${agent}` },
        retryAttempts: 0,
        lazy: false,
        on: { connected: () => (ready += 1) },
      });
      clients.push(client);
      client.subscribe<{ claimEvents: { cursor: string; occurredAt: string } }>(
        { query: 'subscription { claimEvents { cursor occurredAt } }' },
        {
          next: (result) => {
            const event = result.data?.claimEvents;
            if (!event) return;
            received += 1;
            receipts.push({ cursor: event.cursor, at: wallClockMs() });
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
    }
    await waitFor(() => ready >= subscribers, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await heapUsed();

    const addEvidence = (index: number) =>
      post(
        url,
        customer,
        `mutation($input: AddClaimEvidenceInput!) { addClaimEvidence(input: $input) { userErrors { code } } }`,
        {
          input: {
            claimId,
            evidence: [
              {
                kind: 'PHOTO',
                description: `photo ${index}`,
                contentHash: `sha256:${index.toString(16).padStart(64, '0')}`,
                uri: `https://files.example.com/${index}.jpg`,
              },
            ],
          },
        },
      );
    /** Sends `count` events 50 ms apart, then waits (30 s at most) for every subscriber to have them all. */
    const sendEvents = async (first: number, count: number) => {
      for (let index = first; index < first + count; index += 1) {
        await addEvidence(index);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const expected = subscribers * (first + count);
      await waitFor(() => received >= expected, 30_000);
    };
    await sendEvents(0, warmupEvents);
    const measuredFrom = wallClockMs();
    await server.profile(() => sendEvents(warmupEvents, events));
    const { commitTimes: committedAt } = await server.ask<{ commitTimes: Record<string, number> }>(
      'commit-times',
    );
    const warmup: number[] = [];
    const measured: number[] = [];
    for (const { cursor, at } of receipts) {
      const commit = committedAt[cursor];
      (commit >= measuredFrom ? measured : warmup).push(at - commit);
    }
    for (const latencies of [warmup, measured]) latencies.sort((a, b) => a - b);
    return {
      subscribers,
      events,
      deliveredShare: received / (subscribers * (warmupEvents + events)),
      p50Ms: Math.round(percentile(measured, 50)),
      p99Ms: Math.round(percentile(measured, 99)),
      warmupEvents,
      warmupP99Ms: warmupEvents > 0 ? Math.round(percentile(warmup, 99)) : 0,
      bytesPerIdleSubscription: Math.max(0, (after - before) / subscribers),
    };
  } finally {
    await Promise.all(clients.map((client) => Promise.resolve(client.dispose())));
    await server.stop();
  }
}

/** Polls `done` every 20 ms until it holds or `timeoutMs` passed. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
