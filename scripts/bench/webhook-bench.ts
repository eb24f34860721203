/**
 * Webhook delivery: N endpoints (of N/20 agent integrations, 20 each) on one loopback receiver,
 * then a series of committed events, each delivered to every endpoint. Reports deliveries per
 * second (from the first measured commit to the last receipt) and the latency from the commit of
 * the event's transaction (recorded in the server) to its receipt (p50/p99).
 *
 * Run once with every endpoint healthy and once with a share of them failing (half answer 500,
 * half hold the request until the attempt times out): the healthy endpoints' p99 of the second run
 * beside the first tells whether failing receivers hold the healthy ones up.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '../../src/auth/role';
import { issueToken } from '../../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import type { DatabaseTarget } from '../../src/db/orm';
import { BenchProcess } from './bench-process';
import { wallClockMs } from './commit-times';
import { postGraphQL as post } from './graphql-post';
import { percentile } from './percentile';
import { serverEnv } from './server-env';

export interface WebhookLoad {
  endpoints: number;
  /** Share of endpoints that fail (0–1): half answer 500, half never answer. */
  failingShare: number;
  warmupEvents: number;
  events: number;
}

export interface WebhookFigures extends WebhookLoad {
  /** Deliveries to healthy endpoints per second over the measured events. */
  perSecond: number;
  /** Share of the measured deliveries to healthy endpoints that arrived. */
  deliveredShare: number;
  /** Commit → receipt at the healthy endpoints. */
  p50Ms: number;
  p99Ms: number;
}

const ENDPOINTS_PER_OWNER = 20;

export async function benchWebhooks(load: WebhookLoad, target: DatabaseTarget): Promise<WebhookFigures> {
  const failing = Math.round(load.endpoints * load.failingShare);
  /** Receipt times by webhook-id at the healthy endpoints. */
  const receipts = new Map<string, number>();
  const receiver = http.createServer((request, response) => {
    const index = Number(/^\/hooks\/(\d+)$/.exec(request.url ?? '')?.[1]);
    request.resume();
    request.on('end', () => {
      if (index < failing / 2) {
        response.writeHead(500).end('failing');
      } else if (index < failing) {
        // Never answers: the attempt runs into its timeout.
      } else {
        receipts.set(String(request.headers['webhook-id']), wallClockMs());
        response.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const server = await BenchProcess.start(
    'server.js',
    serverEnv(target, {
      // The receivers are plain http on loopback: not a production set-up.
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      JOB_POLL_INTERVAL_MS: '0',
      BENCH_COMMIT_TIMES: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    }),
  );
  try {
    const url = server.url;
    const customer = await issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.CUSTOMER, subject: 'cust-1001' });
    for (let index = 0; index < load.endpoints; index += 1) {
      const owner = await issueToken(DEVELOPMENT_JWT_SECRET, {
        role: Role.AGENT,
        subject: `integration-${Math.floor(index / ENDPOINTS_PER_OWNER)}`,
      });
      const created = await post(
        url,
        owner,
        `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } userErrors { code } } }`,
        { input: { url: `http://127.0.0.1:${port}/hooks/${index}`, eventTypes: ['EVIDENCE_ADDED'] } },
      );
      if (!created.createWebhookEndpoint.endpoint) throw new Error(JSON.stringify(created));
    }
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
          idempotencyKey: `bench-webhooks-${Date.now()}`,
        },
      },
    );
    const claimId = filed.fileClaim.claim.id as string;
    const addEvidence = async (index: number): Promise<void> => {
      await post(
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
    };
    const healthy = load.endpoints - failing;
    /** Sends `count` events 100 ms apart, then waits (120 s at most) for the healthy endpoints to have them all. */
    const sendEvents = async (first: number, count: number) => {
      for (let index = first; index < first + count; index += 1) {
        await addEvidence(index);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await waitFor(() => receipts.size >= healthy * (first + count), 120_000);
    };
    await sendEvents(0, load.warmupEvents);
    const measuredFrom = wallClockMs();
    const receivedBefore = receipts.size;
    await server.profile(() => sendEvents(load.warmupEvents, load.events));
    const { commitTimes } = await server.ask<{ commitTimes: Record<string, number> }>('commit-times');
    const latencies: number[] = [];
    let lastReceipt = measuredFrom;
    for (const [webhookId, at] of receipts) {
      // msg_<endpoint>_<event position>
      const commit = commitTimes[webhookId.split('_')[2]];
      if (commit === undefined || commit < measuredFrom) continue;
      latencies.push(at - commit);
      lastReceipt = Math.max(lastReceipt, at);
    }
    latencies.sort((a, b) => a - b);
    const expected = healthy * load.events;
    return {
      ...load,
      perSecond: (latencies.length * 1000) / Math.max(1, lastReceipt - measuredFrom),
      deliveredShare: (receipts.size - receivedBefore) / expected,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
    };
  } finally {
    await server.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
