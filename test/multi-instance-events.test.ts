import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { openDatabase } from '../src/db/orm';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import {
  FileClaimDocument,
  RecordOrderDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { claimInput } from './support/fixtures';
import { createScratchDatabase, onPostgres, type ScratchDatabase } from './support/database';
import { GraphQLClient } from './support/graphql-client';
import { buildServer, type ServerProcess, startServerProcess } from './support/server-process';
import { sleep, until } from './support/waiting';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let database: ScratchDatabase;
let main: string;
const instances: ServerProcess[] = [];

async function startInstance(name: string): Promise<ServerProcess> {
  const instance = await startServerProcess(main, name, {
    DATABASE_URL: database.target.databaseUrl!,
    REDIS_URL,
    // Only Redis may wake the other instance: its own poll would hide a missing wake-up.
    EVENT_POLL_INTERVAL_MS: '600000',
  });
  instances.push(instance);
  return instance;
}

async function tokenFor(role: Role, subject: string): Promise<string> {
  return issueToken(DEVELOPMENT_JWT_SECRET, { role, subject });
}

function subscribe(url: string, token: string, after: string) {
  const cursors: string[] = [];
  const errors: unknown[] = [];
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: () => undefined },
  });
  client.subscribe<{ claimEvents: { cursor: string } }>(
    { query: 'subscription($after: String) { claimEvents(after: $after) { cursor } }', variables: { after } },
    {
      next: (result) =>
        result.data ? cursors.push(result.data.claimEvents.cursor) : errors.push(result.errors),
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { cursors, errors, client };
}

describe.runIf(onPostgres)('events across two server processes (PostgreSQL + Redis)', () => {
  beforeAll(async () => {
    main = await buildServer('multi-instance');
    database = await createScratchDatabase();
    // Migrate once up front so that the two processes do not race to create the schema.
    await (await openDatabase(database.target)).close(true);
  });

  afterAll(async () => {
    for (const instance of instances) instance.process.kill('SIGKILL');
    await database?.drop();
  });

  it('a subscriber on A receives what is written through B; after A is killed, B resumes from the last cursor with no gap or duplicate', async () => {
    const [a, b] = await Promise.all([startInstance('A'), startInstance('B')]);
    const agentToken = await tokenFor(Role.AGENT, 'agent-multi');
    const agentOnB = new GraphQLClient(b.url, agentToken);
    await agentOnB.data(UpsertCustomerDocument, {
      input: { externalRef: 'cust-m', name: 'Mo', email: 'mo@example.com' },
    });
    await agentOnB.data(UpsertSellerDocument, {
      input: { externalRef: 'sell-m', name: 'Multi', contactEmail: 'm@example.com' },
    });
    await agentOnB.data(UpsertProductDocument, {
      input: {
        externalRef: 'prod-m',
        name: 'Lamp',
        category: 'home',
        price: { amount: '20.00', currencyCode: 'USD' },
      },
    });
    const customerOnB = new GraphQLClient(b.url, await tokenFor(Role.CUSTOMER, 'cust-m'));
    const fileOne = async (index: number) => {
      const { recordOrder } = await agentOnB.data(RecordOrderDocument, {
        input: {
          externalRef: `ord-m-${index}`,
          customerRef: 'cust-m',
          sellerRef: 'sell-m',
          productRef: 'prod-m',
          quantity: 1,
          price: { amount: '20.00', currencyCode: 'USD' },
          purchasedAt: new Date(Date.now() - 86_400_000).toISOString(),
        },
      });
      await customerOnB.data(FileClaimDocument, {
        input: claimInput(recordOrder.order!.id, { incidentDate: new Date().toISOString().slice(0, 10) }),
      });
    };

    const onA = subscribe(a.url, agentToken, '0');
    for (let index = 0; index < 5; index += 1) await fileOne(index);
    await until(() => onA.cursors.length >= 5, 'A to receive the events written on B');

    // Keep writing on B while A is killed mid-stream.
    const writing = (async () => {
      for (let index = 5; index < 25; index += 1) await fileOne(index);
    })();
    await until(() => onA.cursors.length >= 8, 'A to be mid-stream');
    a.process.kill('SIGKILL');
    const lastOnA = onA.cursors.at(-1)!;
    await writing;

    const onB = subscribe(b.url, agentToken, lastOnA);
    const orm = await openDatabase(database.target);
    const committed = (
      await orm.em.fork().find(ClaimEvent, {}, { orderBy: { id: 'asc' }, fields: ['id'] })
    ).map((event) => event.id);
    await orm.close(true);
    await until(() => onA.cursors.length + onB.cursors.length >= committed.length, 'B to deliver the rest');
    await sleep(300);
    // A's only error is the connection dropping when it was killed.
    expect(onA.errors.map((error) => (error as { code?: number }).code)).toEqual([1006]);
    expect(onB.errors).toEqual([]);
    expect([...onA.cursors, ...onB.cursors]).toEqual(committed);
    await Promise.all([onA.client.dispose(), onB.client.dispose()]);
  });
});
