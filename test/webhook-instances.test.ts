import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { openDatabase } from '../src/db/orm';
import { WebhookDelivery } from '../src/entities/webhook-delivery.entity';
import { ManualClock } from '../src/services/common/clock';
import {
  AddClaimEvidenceDocument,
  CreateWebhookEndpointDocument,
  FileClaimDocument,
  RecordOrderDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { createScratchDatabase, onPostgres, type ScratchDatabase } from './support/database';
import { claimInput } from './support/fixtures';
import { GraphQLClient } from './support/graphql-client';
import { startServerOn, type TestServer } from './support/test-server';
import { MINUTE } from './support/time';
import { until } from './support/waiting';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhooks across processes and instances on one database: a server killed in the middle of a
 * delivery, and two instances delivering at once.
 */

const BUILD_DIR = path.resolve(__dirname, '..', '.build', 'webhooks');
const receivers: WebhookReceiver[] = [];
const servers: TestServer[] = [];
const children: ChildProcess[] = [];
const databases: ScratchDatabase[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const receiver of receivers.splice(0)) await receiver.stop();
  for (const server of servers.splice(0)) await server.stop();
  for (const database of databases.splice(0)) await database.drop();
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start();
  receivers.push(started);
  return started;
}

async function migratedDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase();
  databases.push(database);
  // Migrated once up front, so that no two processes race to create the schema.
  await (await openDatabase(database.target)).close(true);
  return database;
}

function client(url: string, role: Role, subject: string): Promise<GraphQLClient> {
  return issueToken(DEVELOPMENT_JWT_SECRET, { role, subject }).then((token) => new GraphQLClient(url, token));
}

/** Reference data and an order through the API at `url`; answers the order's id. */
async function seed(url: string, suffix: string): Promise<string> {
  const agent = await client(url, Role.AGENT, 'agent-seed');
  await agent.data(UpsertCustomerDocument, {
    input: { externalRef: 'cust-k', name: 'Kim', email: 'kim@example.com' },
  });
  await agent.data(UpsertSellerDocument, {
    input: { externalRef: 'sell-k', name: 'Kilo', contactEmail: 'k@example.com' },
  });
  await agent.data(UpsertProductDocument, {
    input: {
      externalRef: 'prod-k',
      name: 'Kettle',
      category: 'home',
      price: { amount: '30.00', currencyCode: 'USD' },
    },
  });
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-k-${suffix}`,
      customerRef: 'cust-k',
      sellerRef: 'sell-k',
      productRef: 'prod-k',
      quantity: 1,
      price: { amount: '30.00', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-03T10:00:00.000Z',
    },
  });
  return recordOrder.order!.id;
}

let photos = 0;
async function addEvidence(customer: GraphQLClient, claimId: string): Promise<void> {
  photos += 1;
  const { addClaimEvidence } = await customer.data(AddClaimEvidenceDocument, {
    input: {
      claimId,
      evidence: [
        {
          kind: 'PHOTO',
          description: `Photo ${photos}`,
          contentHash: `sha256:${createHash('sha256').update(`instances-${process.pid}-${photos}`).digest('hex')}`,
          uri: `https://files.example.com/instances-${photos}.jpg`,
        },
      ],
    },
  });
  expect(addClaimEvidence.userErrors).toEqual([]);
}

/** The built server as a process of its own, delivering in the background; resolves with its URL. */
function startProcess(database: ScratchDatabase): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(BUILD_DIR, 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ...(database.target.databaseUrl
        ? { DATABASE_URL: database.target.databaseUrl }
        : { DATABASE_URL: '', SQLITE_PATH: database.target.sqlitePath }),
      DEMO_DATA: 'false',
      AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      JOB_POLL_INTERVAL_MS: '0',
      WEBHOOK_POLL_INTERVAL_MS: '100',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
}

describe('a server killed during a delivery', () => {
  beforeAll(async () => {
    await promisify(execFile)(path.resolve('node_modules', '.bin', 'tsc'), [
      '-p',
      'tsconfig.build.json',
      '--outDir',
      BUILD_DIR,
    ]);
  }, 120_000);

  it('leaves the delivery to another instance once its lease expires: exactly one more delivery, same webhook-id', async () => {
    const database = await migratedDatabase();
    const hooks = await receiver();
    // The first request is held open: the server is killed while it waits for the answer.
    hooks.answerWith('hang');
    const a = await startProcess(database);
    const orderId = await seed(a.url, 'kill');
    const integration = await client(a.url, Role.AGENT, 'integration-kill');
    const { createWebhookEndpoint } = await integration.data(CreateWebhookEndpointDocument, {
      input: { url: hooks.url() },
    });
    expect(createWebhookEndpoint.userErrors).toEqual([]);
    const customer = await client(a.url, Role.CUSTOMER, 'cust-k');
    const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(orderId) });
    expect(fileClaim.userErrors).toEqual([]);
    await until(() => hooks.received.length === 1, 'the first delivery to arrive');
    const exited = new Promise((resolve) => a.child.once('exit', resolve));
    a.child.kill('SIGKILL');
    await exited;
    hooks.answerWith({ status: 200 });

    // Another instance on the same database, its clock still within the dead one's lease.
    const clock = new ManualClock(new Date());
    const b = await startServerOn(database.target, { clock, env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    servers.push(b);
    expect(await b.deliverWebhooks()).toBe(0);
    expect(hooks.received).toHaveLength(1);

    // Past the lease: delivered again, under the same id, once.
    clock.advance(5 * MINUTE);
    expect(await b.deliverWebhooks()).toBe(1);
    expect(await b.deliverWebhooks()).toBe(0);
    const [first, second] = hooks.received;
    expect(second.id).toBe(first.id);
    expect(second.body).toBe(first.body);

    // And deliveries go on from there.
    await addEvidence(new GraphQLClient(b.url, customer.token), fileClaim.claim!.id);
    expect(await b.deliverWebhooks()).toBe(1);
    expect(hooks.received.map((request) => request.type)).toEqual([
      'claim.CLAIM_FILED',
      'claim.CLAIM_FILED',
      'claim.EVIDENCE_ADDED',
    ]);
    const rows = await b.orm.em.fork().find(WebhookDelivery, {}, { orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.webhookId, row.status, row.attempts])).toEqual([
      [first.id, 'SUCCEEDED', 1],
      [hooks.received[2].id, 'SUCCEEDED', 1],
    ]);
  }, 90_000);
});

describe.runIf(onPostgres)('two instances on one PostgreSQL database', () => {
  it('never deliver to one endpoint at once, and deliver every event once, in order', async () => {
    const database = await migratedDatabase();
    const env = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
    const a = await startServerOn(database.target, { env });
    const b = await startServerOn(database.target, { env });
    servers.push(a, b);
    const orderIds = [await seed(a.url, '1'), await seed(a.url, '2')];
    const hooks: WebhookReceiver[] = [];
    for (let index = 0; index < 4; index += 1) {
      const endpointReceiver = await receiver();
      // A short pause per answer, so that the instances' turns overlap.
      endpointReceiver.answerWith(
        () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 5)),
      );
      hooks.push(endpointReceiver);
      const owner = await client(a.url, Role.AGENT, `integration-${index}`);
      const { createWebhookEndpoint } = await owner.data(CreateWebhookEndpointDocument, {
        input: { url: endpointReceiver.url() },
      });
      expect(createWebhookEndpoint.userErrors).toEqual([]);
    }
    const customer = await client(a.url, Role.CUSTOMER, 'cust-k');
    const claims: string[] = [];
    for (const orderId of orderIds) {
      const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(orderId) });
      claims.push(fileClaim.claim!.id);
    }
    let attempts = 0;
    for (let round = 0; round < 5; round += 1) {
      for (const claimId of claims) {
        await addEvidence(customer, claimId);
        await addEvidence(customer, claimId);
      }
      const [byA, byB] = await Promise.all([a.deliverWebhooks(), b.deliverWebhooks()]);
      attempts += byA + byB;
    }
    const events = 2 + 5 * claims.length * 2;
    expect(attempts).toBe(events * hooks.length);
    for (const endpointReceiver of hooks) {
      expect(endpointReceiver.maxInFlight).toBe(1);
      const positions = endpointReceiver.ids().map((id) => BigInt(id.split('_')[2]));
      expect(positions).toHaveLength(events);
      expect(new Set(positions).size).toBe(events);
      expect([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(positions);
    }
  }, 60_000);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
});
