/**
 * Subscription fan-out: N idle subscribers on one instance, then a series of committed events.
 * Reports the share delivered, latency from the commit of the event's transaction (recorded in the
 * server) to its receipt by each subscriber (p50/p99), and the
 * instance's heap per idle subscription.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../../src/auth/role';
import { issueToken } from '../../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { wallClockMs } from './commit-times';

export interface FanoutResult {
  subscribers: number;
  events: number;
  deliveredShare: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerIdleSubscription: number;
}

type ServerMessage = { ready?: string; heapUsed?: number; commitTimes?: Record<string, number> };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function post(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function benchFanout(subscribers: number, events: number, serverEnv: NodeJS.ProcessEnv): Promise<FanoutResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgraph-bench-'));
  const server = fork(path.join(__dirname, 'server.js'), [], {
    execArgv: ['--expose-gc'],
    env: {
      ...serverEnv,
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'true',
      JOB_POLL_INTERVAL_MS: '0',
      // One principal opens every subscription: the load generator, not a client to limit.
      RATE_LIMIT_PER_SECOND: '0',
      SQLITE_PATH: path.join(dir, 'bench.sqlite'),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const nextMessage = () => new Promise<ServerMessage>((resolve) => server.once('message', (reply) => resolve(reply as ServerMessage)));
  const heapUsed = async () => {
    const reply = nextMessage();
    server.send('memory');
    return (await reply).heapUsed!;
  };
  const url = (await nextMessage()).ready!;
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
    const deadline = Date.now() + 60_000;
    while (ready < subscribers && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await heapUsed();

    for (let index = 0; index < events; index += 1) {
      await post(url, customer, `mutation($input: AddClaimEvidenceInput!) { addClaimEvidence(input: $input) { userErrors { code } } }`, {
        input: {
          claimId,
          evidence: [{ kind: 'PHOTO', description: `photo ${index}`, contentHash: `sha256:${index.toString(16).padStart(64, '0')}`, uri: `https://files.example.com/${index}.jpg` }],
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const expected = subscribers * events;
    const waitUntil = Date.now() + 30_000;
    while (received < expected && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    const reply = nextMessage();
    server.send('commit-times');
    const committedAt = (await reply).commitTimes!;
    const latencies = receipts.map(({ cursor, at }) => at - committedAt[cursor]!).sort((a, b) => a - b);
    return {
      subscribers,
      events,
      deliveredShare: received / expected,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      bytesPerIdleSubscription: Math.max(0, (after - before) / subscribers),
    };
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    server.send('stop');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
