/**
 * Faults on the deployed shape, on PostgreSQL: server processes sharing one database and woken
 * across instances by a Redis of this file's own, so that stopping it disturbs no other test.
 *
 * Under load (customers filing property-damage and personal-injury claims on both instances, the
 * seller answering, an agent reviewing and recording repayments, customers withdrawing), instance A
 * is killed with SIGKILL and started again, every backend of the database is terminated, and Redis
 * is killed and started again on its port. Requests may fail while that happens; wrong answers may
 * not. Afterwards the ledger balances, each claim's status is the one its last status event
 * reached, everything an answer reported as done is in the database, a subscriber that stayed on
 * through the faults and replays from the start on either instance receive exactly the event
 * table in order, and the marker written into injury details is in no process's log, nor is any
 * SQL statement (the ORM writes values into the statement's text).
 *
 * Beside it, instances start while Redis is absent (a listener that drops every connection), keep
 * serving well past the reconnection at which ioredis gives up a queued command by default (which
 * used to take the process down), and carry wake-ups once a real Redis takes the port.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/faults.test.ts
 *
 * The short form above runs by default, in CI too. The long form files more claims for more
 * customers and injects each fault over several rounds:
 *
 *   FAULT_SUITE=long DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/faults.test.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import type { MikroORM } from '@mikro-orm/core';
import { type Client as SubscriptionClient, createClient } from 'graphql-ws';
import { Client as PostgresClient } from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { openDatabase } from '../src/db/orm';
import { localIdOf } from '../src/graphql/global-id';
import { checkLedger } from '../src/services/money/ledger-check';
import {
  type FileClaimInput,
  RecordOrderDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { createScratchDatabase, onPostgres, type ScratchDatabase } from './support/database';
import { claimInput } from './support/fixtures';
import { GraphQLClient } from './support/graphql-client';
import { containsCanary, PII_CANARY } from './support/pii-canary';
import { buildServer, type ServerProcess, startServerProcess } from './support/server-process';
import { sleep, until } from './support/waiting';

const LONG = process.env.FAULT_SUITE === 'long';
/**
 * Customers work concurrently, each filing its claims one after the other. Few claims per customer,
 * so that screening's velocity signal refers none to an expert and every path below is walked.
 */
const SHAPE = LONG
  ? { customers: 24, claimsPerCustomer: 4, rounds: 3 }
  : { customers: 8, claimsPerCustomer: 3, rounds: 1 };
const TEST_TIMEOUT_MS = LONG ? 600_000 : 150_000;
/** A request to a process that was just killed must fail, not hang the run. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Screening retries a failed job with growing pauses: after faults, routing may take a while. */
const SETTLE_TIMEOUT_MS = 90_000;
const DELIVERY_TIMEOUT_MS = 20_000;
const MUTATION_ATTEMPTS = 12;
/** Most terminations in one burst, should the load stop making progress meanwhile. */
const TERMINATION_BURST_MAX = 30;
const RETRY_PAUSE_MS = 250;
const POLL_MS = 100;
const DAY_MS = 86_400_000;

/** ioredis gives up a command queued while disconnected after this many reconnections, by default. */
const IOREDIS_DEFAULT_MAX_RETRIES = 20;
/** Refused connections per Redis client before the instances are looked at: well past that. */
const REFUSALS_PER_CLIENT = IOREDIS_DEFAULT_MAX_RETRIES + 10;
/** An instance's RedisNotifier holds a publishing and a subscribing connection. */
const REDIS_CLIENTS_PER_INSTANCE = 2;

const TRANSIENT = new Set(['SUBMITTED', 'SCREENING']);
/** Statuses no later step leaves: an answer that reached one is the claim's final status. */
const TERMINAL = new Set(['WITHDRAWN', 'CLOSED']);

type Slot = 'A' | 'B';
type Fault = 'kill instance A' | 'terminate database backends' | 'lose Redis';
type ClaimPath = 'concession' | 'accepted' | 'stepped in' | 'defended' | 'withdrawn';
const PATHS: ClaimPath[] = ['concession', 'accepted', 'stepped in', 'defended', 'withdrawn'];

interface TimelineEntry {
  sequence: number;
  type: string;
  toStatus: string | null;
}
interface AnsweredClaim {
  id: string;
  status: string;
  timeline: TimelineEntry[];
}
interface Payload {
  claim: AnsweredClaim | null;
  userErrors: { code: string }[];
}
interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  failure?: string;
}
/** One answer to one attempt at a mutation. */
interface MutationRecord {
  operation: string;
  key?: string;
  /** No top-level error and no userError: the mutation says it was done. */
  ok: boolean;
  claim?: AnsweredClaim;
  outcome: string;
}
interface Readiness {
  status: number;
  body: { status?: string; checks?: { database?: string; redis?: string } };
}

const INPUT_TYPES: Record<string, string> = {
  fileClaim: 'FileClaimInput',
  withdrawClaim: 'WithdrawClaimInput',
  respondToClaim: 'RespondToClaimInput',
  recordClaimPayment: 'RecordClaimPaymentInput',
  reviewClaim: 'ReviewClaimInput',
  recordRecoveryPayment: 'RecordRecoveryPaymentInput',
  submitProductDefence: 'SubmitProductDefenceInput',
  decideProductDefence: 'DecideProductDefenceInput',
};
const PAYLOAD_FIELDS = 'claim { id status timeline { sequence type toStatus } } userErrors { code }';
const CLAIM_EVENTS = 'subscription($after: String) { claimEvents(after: $after) { cursor } }';

/** Every error body and failure any request got: none may carry the marker either. */
const refusalTexts: string[] = [];

async function post<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer<T>> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let answer: Answer<T>;
    try {
      answer = JSON.parse(text) as Answer<T>;
    } catch {
      answer = { failure: `HTTP ${response.status}` };
    }
    if (answer.errors?.length || answer.failure) refusalTexts.push(text);
    return answer;
  } catch (error) {
    const failure = error instanceof Error ? error.message : 'request failed';
    refusalTexts.push(failure);
    return { failure };
  }
}

async function tokenFor(role: Role, subject: string): Promise<string> {
  return issueToken(DEVELOPMENT_JWT_SECRET, { role, subject });
}

async function readiness(instance: ServerProcess): Promise<Readiness> {
  const response = await fetch(new URL('/readyz', instance.url), {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

async function redisIs(instance: ServerProcess, state: 'up' | 'down'): Promise<boolean> {
  try {
    return (await readiness(instance)).body.checks?.redis === state;
  } catch {
    return false;
  }
}

function alive(instance: ServerProcess): boolean {
  return instance.process.exitCode === null && instance.process.signalCode === null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface RedisServer {
  process: ChildProcess;
  exited: Promise<unknown>;
}

/** A redis-server of this file's own: nothing kept on disk, so a restart starts empty as a lost Redis would. */
async function startRedis(port: number): Promise<RedisServer> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  child.once('error', (error) => {
    output += error.message;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited: ${output}`);
      return output.includes('Ready to accept connections');
    },
    `redis-server on port ${port} to start`,
    15_000,
  );
  return { process: child, exited };
}

/**
 * Stands where Redis should be and drops every connection the moment it is made, as a Redis that
 * is not there yet looks to a client that keeps reconnecting, counting the attempts.
 */
async function refusingListener() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function problemOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return JSON.stringify(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? `closed with ${code}` : 'closed';
}

interface Follower {
  cursors: string[];
  problems: string[];
  stop(): Promise<void>;
}

/** Every follower made, so that one a failed test left running stops with the file. */
const followers: Follower[] = [];

/**
 * An agent's `claimEvents` from `after`, as a careful client keeps it: when the subscription
 * ends or its socket drops, it subscribes again after the last cursor it received.
 */
function follow(urlOf: () => string | null, token: string, after: string): Follower {
  const cursors: string[] = [];
  const problems: string[] = [];
  let stopped = false;
  let client: SubscriptionClient | undefined;
  const open = () => {
    if (stopped) return;
    const url = urlOf();
    if (!url) {
      setTimeout(open, POLL_MS);
      return;
    }
    const current = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { closed: () => undefined },
    });
    client = current;
    const resume = (problem: string) => {
      if (stopped) return;
      problems.push(problem);
      void current.dispose();
      setTimeout(open, RETRY_PAUSE_MS);
    };
    current.subscribe<{ claimEvents: { cursor: string } }>(
      { query: CLAIM_EVENTS, variables: { after: cursors.at(-1) ?? after } },
      {
        next: (result) => {
          if (result.data) cursors.push(result.data.claimEvents.cursor);
          else problems.push(JSON.stringify(result.errors));
        },
        error: (error) => resume(problemOf(error)),
        complete: () => resume('completed'),
      },
    );
  };
  open();
  const follower = {
    cursors,
    problems,
    stop: async () => {
      stopped = true;
      await client?.dispose();
    },
  };
  followers.push(follower);
  return follower;
}

/** Consecutive cursors that do not increase: a duplicate or an event out of order. */
function outOfOrder(cursors: string[]): string[] {
  return cursors.flatMap((cursor, index) =>
    index > 0 && BigInt(cursor) <= BigInt(cursors[index - 1]) ? [`${cursors[index - 1]} then ${cursor}`] : [],
  );
}

/**
 * SQL as the ORM sends it, with every value written into the text: a log line that quotes a
 * statement quotes what a client sent.
 */
const STATEMENT = /\b(?:select\s[\s\S]*?\sfrom\s|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s)/i;

/** The lines of a process's output that quote a statement, shortened. */
function quotedStatements(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => STATEMENT.test(line))
    .map((line) => line.slice(0, 400));
}

async function rows<T>(orm: MikroORM, sql: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.fork().getConnection().execute<T[]>(sql, params);
}

async function eventIds(orm: MikroORM): Promise<string[]> {
  return (await rows<{ id: string | number }>(orm, 'select id from claim_event order by id')).map((row) =>
    String(row.id),
  );
}

async function recordOrder(
  agent: GraphQLClient,
  input: { externalRef: string; customerRef: string; sellerRef: string; productRef: string },
  purchasedAt: string,
  deliveredAt: string,
): Promise<string> {
  const { recordOrder: recorded } = await agent.data(RecordOrderDocument, {
    input: {
      ...input,
      quantity: 1,
      price: { amount: '200.00', currencyCode: 'USD' },
      purchasedAt,
      deliveredAt,
    },
  });
  if (!recorded.order) throw new Error(JSON.stringify(recorded.userErrors));
  return recorded.order.id;
}

/**
 * A seller, a heater and customers of long standing (an order long ago, so that none is a new
 * account to screening), each with fresh delivered orders to claim on. Answers each customer's
 * order ids.
 */
async function seedMarketplace(
  agent: GraphQLClient,
  sellerRef: string,
  customerRefs: string[],
  ordersEach: number,
): Promise<string[][]> {
  await agent.data(UpsertSellerDocument, {
    input: { externalRef: sellerRef, name: `Seller ${sellerRef}`, contactEmail: `${sellerRef}@example.com` },
  });
  await agent.data(UpsertProductDocument, {
    input: {
      externalRef: `heater-${sellerRef}`,
      name: 'Space heater',
      category: 'home',
      price: { amount: '200.00', currencyCode: 'USD' },
    },
  });
  const purchasedAt = new Date(Date.now() - 3 * DAY_MS).toISOString();
  const deliveredAt = new Date(Date.now() - DAY_MS).toISOString();
  return Promise.all(
    customerRefs.map(async (customerRef) => {
      await agent.data(UpsertCustomerDocument, {
        input: {
          externalRef: customerRef,
          name: `Customer ${customerRef}`,
          email: `${customerRef}@example.com`,
        },
      });
      const order = (externalRef: string) => ({
        externalRef,
        customerRef,
        sellerRef,
        productRef: `heater-${sellerRef}`,
      });
      await recordOrder(
        agent,
        order(`${customerRef}-past`),
        '2024-03-01T10:00:00.000Z',
        '2024-03-04T15:00:00.000Z',
      );
      const orders: string[] = [];
      for (let index = 0; index < ordersEach; index += 1) {
        orders.push(await recordOrder(agent, order(`${customerRef}-${index}`), purchasedAt, deliveredAt));
      }
      return orders;
    }),
  );
}

/** A filing on `orderId`, personal injury (its medical details marked) or property damage. */
function filing(orderId: string, injury: boolean, amount: string): FileClaimInput {
  return claimInput(orderId, {
    incidentDate: new Date().toISOString().slice(0, 10),
    amountClaimed: { amount, currencyCode: 'USD' },
    ...(injury
      ? {
          kinds: ['PERSONAL_INJURY'],
          description: 'The heater tipped over and burnt my hand.',
          injuryDetails: {
            description: `Second-degree burn on the left hand ${PII_CANARY}`,
            medicallyTreated: true,
            treatmentDetails: `Dressed at the clinic, antibiotics prescribed ${PII_CANARY}`,
          },
        }
      : {}),
  });
}

describe.runIf(onPostgres)('faults: PostgreSQL, Redis and two instances', () => {
  let main: string;
  let loadDatabase: ScratchDatabase | undefined;
  let coldDatabase: ScratchDatabase | undefined;
  /** Every process started, killed ones too: all their logs are searched. */
  const processes: ServerProcess[] = [];
  const redisServers: RedisServer[] = [];

  async function startInstance(name: string, env: Record<string, string>): Promise<ServerProcess> {
    const instance = await startServerProcess(main, name, {
      LOG_LEVEL: 'debug',
      // The load comes from a handful of principals; throttling them is not what is under test.
      RATE_LIMIT_PER_SECOND: '0',
      ...env,
    });
    processes.push(instance);
    return instance;
  }

  async function redisOn(port: number): Promise<RedisServer> {
    const redis = await startRedis(port);
    redisServers.push(redis);
    return redis;
  }

  beforeAll(async () => {
    // Settled one by one, so that a database made while the build failed is still dropped.
    const [built, load, cold] = await Promise.allSettled([
      buildServer('faults'),
      createScratchDatabase(),
      createScratchDatabase(),
    ]);
    if (load.status === 'fulfilled') loadDatabase = load.value;
    if (cold.status === 'fulfilled') coldDatabase = cold.value;
    for (const outcome of [built, load, cold]) if (outcome.status === 'rejected') throw outcome.reason;
    main = (built as PromiseFulfilledResult<string>).value;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(followers.map((follower) => follower.stop()));
    for (const instance of processes) if (alive(instance)) instance.process.kill('SIGKILL');
    for (const redis of redisServers) if (redis.process.exitCode === null) redis.process.kill('SIGKILL');
    await Promise.all([loadDatabase?.drop(), coldDatabase?.drop()]);
  });

  it.concurrent(
    'under load, killing an instance, terminating database backends and losing Redis leave no wrong answer behind',
    async ({ expect }) => {
      const database = loadDatabase!;
      const redisPort = await freePort();
      let redis = await redisOn(redisPort);
      const env = {
        DATABASE_URL: database.target.databaseUrl!,
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        // Screening and routing run in the background, during the faults too.
        JOB_POLL_INTERVAL_MS: '200',
        // Only Redis wakes the other instance, so that its return after the loss is put to the test.
        EVENT_POLL_INTERVAL_MS: '600000',
      };
      let generation = 0;
      const killedOnPurpose = new Set<ServerProcess>();
      const unexpectedExits: string[] = [];
      /** Notes an instance that ends without being killed by this test, with the error it printed last. */
      const watch = (instance: ServerProcess) => {
        void instance.exited.then(({ code, signal }) => {
          if (killedOnPurpose.has(instance)) return;
          const lines = instance.output().split('\n');
          const lastError = Math.max(
            0,
            lines.findLastIndex((line) => /^\w*(?:Error|Exception)\b/.test(line)),
          );
          unexpectedExits.push(
            `${instance.name} exited with ${code ?? signal} while serving, after printing:\n${lines.slice(lastError, lastError + 12).join('\n')}`,
          );
        });
        return instance;
      };
      /** Fails a wait at once when an instance died: what it waits for would never come. */
      const serving = () => {
        if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('\n'));
      };
      const live: Record<Slot, ServerProcess | null> = { A: null, B: null };
      [live.A, live.B] = (await Promise.all([startInstance('A', env), startInstance('B', env)])).map(watch);
      const other = (slot: Slot): Slot => (slot === 'A' ? 'B' : 'A');
      /** A load balancer's choice: the preferred instance, or the other while it is down. */
      const urlOf = (slot: Slot): string => {
        const instance = live[slot] ?? live[other(slot)];
        if (!instance) throw new Error('no instance is up');
        return instance.url;
      };
      const liveInstances = () => [live.A, live.B].filter((instance) => instance !== null);

      const agentToken = await tokenFor(Role.AGENT, 'agent-faults');
      const sellerToken = await tokenFor(Role.SELLER, 'sell-f');
      const customerRefs = Array.from({ length: SHAPE.customers }, (_, index) => `cust-f${index}`);
      const customerTokens = await Promise.all(customerRefs.map((ref) => tokenFor(Role.CUSTOMER, ref)));
      const orders = await seedMarketplace(
        new GraphQLClient(live.B.url, agentToken),
        'sell-f',
        [...customerRefs, 'cust-parked'],
        SHAPE.claimsPerCustomer,
      );

      const records: MutationRecord[] = [];
      /** Answers the payload it settled on (done or refused), or null when every attempt failed. */
      async function mutate(
        operation: string,
        token: string,
        prefer: Slot,
        input: Record<string, unknown>,
      ): Promise<Payload | null> {
        const query = `mutation($input: ${INPUT_TYPES[operation]}!) { ${operation}(input: $input) { ${PAYLOAD_FIELDS} } }`;
        const key = typeof input.idempotencyKey === 'string' ? input.idempotencyKey : undefined;
        for (let attempt = 0; attempt < MUTATION_ATTEMPTS; attempt += 1) {
          // A client retries a failed request, and a balancer may send the retry elsewhere.
          const slot = attempt % 2 === 0 ? prefer : other(prefer);
          const answer = await post<Record<string, Payload | undefined>>(urlOf(slot), token, query, {
            input,
          });
          const payload = answer.data?.[operation];
          if (answer.errors?.length || !payload) {
            const codes = answer.errors?.map((error) => error.extensions?.code ?? error.message).join(',');
            records.push({ operation, key, ok: false, outcome: answer.failure ?? codes ?? 'no payload' });
          } else {
            const codes = payload.userErrors.map((error) => error.code);
            records.push({
              operation,
              key,
              ok: codes.length === 0,
              claim: payload.claim ?? undefined,
              outcome: codes.join(',') || 'OK',
            });
            // A concurrent change won: the client tries again, as CONFLICT invites it to.
            if (!codes.includes('CONFLICT')) return payload;
          }
          await sleep(RETRY_PAUSE_MS);
        }
        return null;
      }
      const done = (payload: Payload | null) => payload !== null && payload.userErrors.length === 0;

      /** The status screening routed the claim to, or null when it could not be read in time. */
      async function routedStatus(claimId: string, prefer: Slot): Promise<string | null> {
        const deadline = Date.now() + SETTLE_TIMEOUT_MS;
        while (Date.now() < deadline) {
          const answer = await post<{ claim: { status: string } | null }>(
            urlOf(prefer),
            agentToken,
            'query($id: ID!) { claim(id: $id) { status } }',
            { id: claimId },
          );
          const status = answer.data?.claim?.status;
          if (status && !TRANSIENT.has(status)) return status;
          await sleep(POLL_MS);
        }
        return null;
      }

      async function walk(path: ClaimPath, claimId: string, customerToken: string, prefer: Slot) {
        if (path === 'withdrawn') {
          await mutate('withdrawClaim', customerToken, prefer, {
            claimId,
            reason: 'Settled with the seller.',
          });
          return;
        }
        const routed = await routedStatus(claimId, prefer);
        if (path === 'concession' || routed !== 'AWAITING_SELLER') return;
        if (path === 'accepted') {
          const accepted = await mutate('respondToClaim', sellerToken, other(prefer), {
            claimId,
            response: 'ACCEPT',
            payer: 'SELLER',
          });
          if (!done(accepted)) return;
          await mutate('recordClaimPayment', sellerToken, prefer, {
            claimId,
            reference: `transfer-${claimId}`,
            idempotencyKey: `payment-${claimId}`,
          });
          return;
        }
        const rejected = await mutate('respondToClaim', sellerToken, other(prefer), {
          claimId,
          response: 'REJECT',
          statement: 'The heater was run on an extension cord, against its manual.',
        });
        if (!done(rejected)) return;
        const reviewed = await mutate('reviewClaim', agentToken, prefer, {
          claimId,
          decision: 'STEP_IN',
          reason: 'The manual allows the cord the customer used.',
          idempotencyKey: `review-${claimId}`,
        });
        if (!done(reviewed)) return;
        if (path === 'stepped in') {
          await mutate('recordRecoveryPayment', agentToken, other(prefer), {
            claimId,
            reference: `repaid-${claimId}`,
            idempotencyKey: `recovery-${claimId}`,
          });
          return;
        }
        const defended = await mutate('submitProductDefence', sellerToken, other(prefer), {
          claimId,
          statement: 'An independent laboratory found the thermostat within tolerance.',
        });
        if (!done(defended)) return;
        await mutate('decideProductDefence', agentToken, prefer, {
          claimId,
          decision: 'UPHOLD',
          reason: 'The laboratory report is conclusive.',
        });
      }

      // A claim left waiting for the seller through the load: its answer after the load is a write on
      // A that nothing on B does anything about, so only a Redis wake-up can bring it to B.
      const parkedToken = await tokenFor(Role.CUSTOMER, 'cust-parked');
      const parked = await mutate(
        'fileClaim',
        parkedToken,
        'B',
        filing(orders[SHAPE.customers][0], false, '1500.00'),
      );
      expect(parked?.userErrors).toEqual([]);
      const parkedId = parked!.claim!.id;
      expect(await routedStatus(parkedId, 'B')).toBe('AWAITING_SELLER');

      const progress = { filings: 0, loadDone: false };
      async function customerWork(customer: number) {
        for (let index = 0; index < SHAPE.claimsPerCustomer; index += 1) {
          const ordinal = customer * SHAPE.claimsPerCustomer + index;
          const path = PATHS[ordinal % PATHS.length];
          const prefer: Slot = (customer + index) % 2 === 0 ? 'A' : 'B';
          // Below the concession threshold the marketplace pays at once; above it the seller is asked.
          const amount = path === 'concession' ? '250.00' : '1500.00';
          const filed = await mutate(
            'fileClaim',
            customerTokens[customer],
            prefer,
            filing(orders[customer][index], ordinal % 2 === 1, amount),
          );
          progress.filings += 1;
          if (done(filed) && filed!.claim)
            await walk(path, filed!.claim.id, customerTokens[customer], prefer);
        }
      }

      const liveFollower = follow(() => live.B?.url ?? null, agentToken, '0');
      const faults: Fault[] = [];
      for (let round = 0; round < SHAPE.rounds; round += 1) {
        faults.push('kill instance A', 'terminate database backends', 'lose Redis');
      }
      const planned = SHAPE.customers * SHAPE.claimsPerCustomer;
      const injected: { fault: Fault; duringLoad: boolean }[] = [];
      const killedExits: { code: number | null; signal: NodeJS.Signals | null }[] = [];
      const terminatedBackends: number[] = [];

      async function inject(fault: Fault) {
        switch (fault) {
          case 'kill instance A': {
            const victim = live.A!;
            live.A = null;
            killedOnPurpose.add(victim);
            victim.process.kill('SIGKILL');
            killedExits.push(await victim.exited);
            generation += 1;
            live.A = watch(await startInstance(`A${generation}`, env));
            return;
          }
          case 'terminate database backends': {
            // Again and again while a few filings go on, as a failover does: one termination would
            // mostly strike idle connections.
            const filingsAtFirst = progress.filings;
            const admin = new PostgresClient({ connectionString: database.target.databaseUrl });
            await admin.connect();
            let terminated = 0;
            try {
              for (let burst = 0; burst < TERMINATION_BURST_MAX; burst += 1) {
                const result = await admin.query(
                  'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
                );
                terminated += result.rowCount ?? 0;
                if (progress.filings >= filingsAtFirst + 2 || progress.loadDone) break;
                await sleep(POLL_MS);
              }
            } finally {
              await admin.end();
            }
            terminatedBackends.push(terminated);
            return;
          }
          case 'lose Redis': {
            const filingsAtLoss = progress.filings;
            redis.process.kill('SIGKILL');
            await redis.exited;
            await until(
              async () => {
                serving();
                return (await Promise.all(liveInstances().map((i) => redisIs(i, 'down')))).every(Boolean);
              },
              'the instances to notice that Redis is gone',
              DELIVERY_TIMEOUT_MS,
            );
            // Writes go on while Redis is away, so that wake-ups are lost for real.
            await until(
              () => progress.filings >= filingsAtLoss + 2 || progress.loadDone,
              'filings while Redis is away',
              SETTLE_TIMEOUT_MS,
            );
            redis = await redisOn(redisPort);
            return;
          }
        }
      }

      const load = Promise.all(customerRefs.map((_, customer) => customerWork(customer))).finally(() => {
        progress.loadDone = true;
      });
      const injecting = (async () => {
        for (const [index, fault] of faults.entries()) {
          const threshold = Math.ceil(((index + 1) * planned) / (faults.length + 1));
          await until(
            () => progress.filings >= threshold || progress.loadDone,
            `the load to reach the point of "${fault}"`,
            SETTLE_TIMEOUT_MS,
          );
          injected.push({ fault, duringLoad: !progress.loadDone });
          await inject(fault);
        }
      })();
      await Promise.all([load, injecting]);
      // No instance died of the faults but the one killed on purpose.
      expect(unexpectedExits).toEqual([]);

      // Every fault struck while requests were being made, and each was a real one.
      expect(injected).toEqual(faults.map((fault) => ({ fault, duringLoad: true })));
      expect(killedExits).toEqual(killedExits.map(() => ({ code: null, signal: 'SIGKILL' })));
      expect(terminatedBackends.filter((count) => count === 0)).toEqual([]);

      // Both serve with Redis again.
      await until(
        async () => {
          serving();
          return (await Promise.all(liveInstances().map((i) => redisIs(i, 'up')))).every(Boolean);
        },
        'both instances to reconnect to Redis',
        DELIVERY_TIMEOUT_MS,
      );
      for (const instance of liveInstances()) {
        expect(await readiness(instance)).toEqual({
          status: 200,
          body: { status: 'ready', checks: { database: 'up', redis: 'up' } },
        });
      }

      const orm = await openDatabase(database.target);
      try {
        await until(
          async () => {
            const [row] = await rows<{ transient: string; pending: string }>(
              orm,
              `select (select count(*) from claim where status in ('SUBMITTED', 'SCREENING')) as transient,
                      (select count(*) from scheduled_job where kind = 'SCREEN_CLAIM' and status = 'PENDING') as pending`,
            );
            if (Number(row.transient) === 0 && Number(row.pending) === 0) return true;
            await sleep(POLL_MS);
            return false;
          },
          'every claim to be screened and routed',
          SETTLE_TIMEOUT_MS,
        );

        // The ledger balances, and it recorded money for the check to mean something.
        expect(await checkLedger(orm.em.fork())).toEqual([]);
        const [ledger] = await rows<{ entries: string }>(orm, 'select count(*) as entries from ledger_entry');
        expect(Number(ledger.entries)).toBeGreaterThan(0);

        // Each claim's status is the one its last status event reached (SUBMITTED, its filing's, when
        // no status event followed), and its timeline is numbered without a gap.
        const claims = await rows<{
          id: number;
          status: string;
          last_event_sequence: number;
          last_change: string | null;
          filed_as: string | null;
          events: string;
          max_sequence: number | null;
        }>(
          orm,
          `select c.id, c.status, c.last_event_sequence,
                  (select e.to_status from claim_event e where e.claim_id = c.id and e.type = 'STATUS_CHANGED'
                    order by e.sequence desc limit 1) as last_change,
                  (select e.to_status from claim_event e where e.claim_id = c.id and e.type = 'CLAIM_FILED'
                    and e.sequence = 1) as filed_as,
                  (select count(*) from claim_event e where e.claim_id = c.id) as events,
                  (select max(e.sequence) from claim_event e where e.claim_id = c.id) as max_sequence
             from claim c order by c.id`,
        );
        expect(claims.length).toBeGreaterThan(0);
        const inconsistent = claims.flatMap((claim) => {
          const problems: string[] = [];
          if (claim.filed_as !== 'SUBMITTED') problems.push(`filed as ${claim.filed_as}`);
          const expected = claim.last_change ?? claim.filed_as;
          if (claim.status !== expected)
            problems.push(`status ${claim.status}, last status event ${expected}`);
          if (
            Number(claim.events) !== claim.max_sequence ||
            claim.max_sequence !== claim.last_event_sequence
          ) {
            problems.push(
              `events ${claim.events}, highest sequence ${claim.max_sequence}, last_event_sequence ${claim.last_event_sequence}`,
            );
          }
          return problems.map((problem) => `claim ${claim.id}: ${problem}`);
        });
        expect(inconsistent).toEqual([]);
        const [duplicated] = await rows<{ orders: string }>(
          orm,
          'select count(*) as orders from (select order_id from claim group by order_id having count(*) > 1) o',
        );
        expect(Number(duplicated.orders)).toBe(0);

        // Everything a mutation answered as done is in the database, as the answer showed it.
        const stored = new Map(
          (
            await rows<{ claim_id: number; sequence: number; type: string; to_status: string | null }>(
              orm,
              'select claim_id, sequence, type, to_status from claim_event',
            )
          ).map((event) => [`${event.claim_id}:${event.sequence}`, event]),
        );
        const finalStatus = new Map(claims.map((claim) => [claim.id, claim.status]));
        const answeredOk = records.filter((record) => record.ok);
        const unpersisted = answeredOk.flatMap((record) => {
          if (!record.claim) return [`${record.operation} answered OK without its claim`];
          const id = localIdOf(record.claim.id, 'Claim');
          const where = `${record.operation} on claim ${id}`;
          if (id === null || !finalStatus.has(id)) return [`${where}: the claim is not in the database`];
          const missing = record.claim.timeline
            .filter((entry) => {
              const event = stored.get(`${id}:${entry.sequence}`);
              return !event || event.type !== entry.type || event.to_status !== entry.toStatus;
            })
            .map(
              (entry) => `${where}: event ${entry.sequence} (${entry.type} ${entry.toStatus}) is not stored`,
            );
          if (TERMINAL.has(record.claim.status) && finalStatus.get(id) !== record.claim.status) {
            missing.push(`${where}: answered ${record.claim.status}, stored ${finalStatus.get(id)}`);
          }
          return missing;
        });
        expect(unpersisted).toEqual([]);
        // Every kind of step was answered as done at least once: the faults did not just stop the load.
        expect(new Set(answeredOk.map((record) => record.operation))).toEqual(
          new Set(Object.keys(INPUT_TYPES)),
        );
        // A filing retried under its key after a failure files nothing twice.
        const claimsByKey = new Map<string, Set<string>>();
        for (const record of answeredOk.filter((r) => r.operation === 'fileClaim' && r.key && r.claim)) {
          claimsByKey.set(record.key!, (claimsByKey.get(record.key!) ?? new Set()).add(record.claim!.id));
        }
        expect([...claimsByKey.values()].filter((ids) => ids.size > 1)).toEqual([]);

        // Redis carries wake-ups again: the seller's answer through A reaches the subscriber on B.
        const accepted = await post<{ respondToClaim: Payload }>(
          live.A.url,
          sellerToken,
          `mutation($input: RespondToClaimInput!) { respondToClaim(input: $input) { ${PAYLOAD_FIELDS} } }`,
          { input: { claimId: parkedId, response: 'ACCEPT', payer: 'SELLER' } },
        );
        expect(accepted.errors).toBeUndefined();
        expect(accepted.data?.respondToClaim.userErrors).toEqual([]);
        records.push({
          operation: 'respondToClaim',
          ok: true,
          claim: accepted.data!.respondToClaim.claim!,
          outcome: 'OK',
        });
        const ids = await eventIds(orm);
        await until(
          () => liveFollower.cursors.at(-1) === ids.at(-1),
          'the subscriber on B to receive, live, the answer written through A',
          DELIVERY_TIMEOUT_MS,
        );

        // The subscriber that stayed on through the faults, and replays from the start on either
        // instance, receive exactly the event table, in order.
        const replays = liveInstances().map((instance) => follow(() => instance.url, agentToken, '0'));
        const subscribers = [liveFollower, ...replays];
        await until(
          () => subscribers.every((follower) => follower.cursors.length >= ids.length),
          'every subscriber to receive every event',
          DELIVERY_TIMEOUT_MS,
        );
        // Time for a duplicate to arrive, if one would.
        await sleep(300);
        await Promise.all(subscribers.map((follower) => follower.stop()));
        for (const follower of subscribers) {
          expect(outOfOrder(follower.cursors)).toEqual([]);
          expect(follower.cursors).toEqual(ids);
        }
        for (const replay of replays) expect(replay.problems).toEqual([]);

        // The marker was written into the database, and reached no log, error or job record.
        const [marked] = await rows<{ count: string }>(
          orm,
          `select count(*) as count from claim_injury_details where description like ?`,
          [`%${PII_CANARY}%`],
        );
        expect(Number(marked.count)).toBeGreaterThan(0);
        const [jobErrors] = await rows<{ count: string }>(
          orm,
          `select count(*) as count from scheduled_job where last_error like '%CANARY%'`,
        );
        expect(Number(jobErrors.count)).toBe(0);
      } finally {
        await liveFollower.stop();
        await orm.close(true);
      }
      const loadProcesses = processes.filter((instance) => /^A\d*$|^B$/.test(instance.name));
      expect(loadProcesses.length).toBe(2 + SHAPE.rounds);
      for (const instance of loadProcesses) expect(containsCanary(instance.output())).toBe(false);
      // The logs that were searched are those of the faults.
      expect(live.B.output()).toContain('redis connection problem');
      expect(refusalTexts.filter(containsCanary)).toEqual([]);
      // Nor did a logged error quote a statement, and with it the values the statement carried.
      expect(loadProcesses.flatMap((instance) => quotedStatements(instance.output()))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'Redis absent at start: instances serve on, degraded, and carry wake-ups once Redis comes',
    async ({ expect }) => {
      const database = coldDatabase!;
      const absent = await refusingListener();
      const env = {
        DATABASE_URL: database.target.databaseUrl!,
        REDIS_URL: `redis://127.0.0.1:${absent.port}`,
        // Only Redis may wake the other instance: its own poll would hide a missing wake-up.
        EVENT_POLL_INTERVAL_MS: '600000',
      };
      const [coldA, coldB] = await Promise.all([startInstance('cold-A', env), startInstance('cold-B', env)]);
      const agentToken = await tokenFor(Role.AGENT, 'agent-cold');
      const [orderOnA, orderOnB] = (
        await seedMarketplace(new GraphQLClient(coldB.url, agentToken), 'sell-cold', ['cust-cold'], 2)
      )[0];
      const customer = await tokenFor(Role.CUSTOMER, 'cust-cold');
      const fileOn = async (instance: ServerProcess, orderId: string) => {
        const answer = await post<{ fileClaim: Payload }>(
          instance.url,
          customer,
          `mutation($input: FileClaimInput!) { fileClaim(input: $input) { ${PAYLOAD_FIELDS} } }`,
          { input: filing(orderId, true, '250.00') },
        );
        return answer;
      };
      // A commit while Redis is absent publishes a wake-up that cannot be sent.
      const whileAbsent = await fileOn(coldA, orderOnA);
      expect(whileAbsent.errors).toBeUndefined();
      expect(whileAbsent.data?.fileClaim.userErrors).toEqual([]);

      await until(
        () => absent.connections() >= REFUSALS_PER_CLIENT * REDIS_CLIENTS_PER_INSTANCE * 2,
        'the Redis clients to be refused well past the default number of retries',
        120_000,
      );
      for (const instance of [coldA, coldB]) {
        expect(alive(instance)).toBe(true);
        expect(await readiness(instance)).toEqual({
          status: 200,
          body: { status: 'degraded', checks: { database: 'up', redis: 'down' } },
        });
        const answer = await post<{ claims: { totalCount: number } }>(
          instance.url,
          agentToken,
          '{ claims(first: 5) { totalCount } }',
          {},
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data).toEqual({ claims: { totalCount: 1 } });
      }

      await absent.close();
      await redisOn(absent.port);
      await until(
        async () => (await Promise.all([coldA, coldB].map((i) => redisIs(i, 'up')))).every(Boolean),
        'both instances to connect to Redis once it is there',
        DELIVERY_TIMEOUT_MS,
      );
      for (const instance of [coldA, coldB]) {
        expect(await readiness(instance)).toEqual({
          status: 200,
          body: { status: 'ready', checks: { database: 'up', redis: 'up' } },
        });
      }

      const orm = await openDatabase(database.target);
      try {
        const before = await eventIds(orm);
        expect(before.length).toBeGreaterThan(0);
        const onA = follow(() => coldA.url, agentToken, '0');
        await until(() => onA.cursors.length >= before.length, 'the replay on A', DELIVERY_TIMEOUT_MS);
        const written = await fileOn(coldB, orderOnB);
        expect(written.data?.fileClaim.userErrors).toEqual([]);
        const after = await eventIds(orm);
        expect(after.length).toBeGreaterThan(before.length);
        await until(
          () => onA.cursors.length >= after.length,
          'A to receive, live, the events written through B',
          DELIVERY_TIMEOUT_MS,
        );
        await sleep(300);
        await onA.stop();
        expect(onA.cursors).toEqual(after);
        expect(onA.problems).toEqual([]);
      } finally {
        await orm.close(true);
      }
      for (const instance of [coldA, coldB]) {
        expect(alive(instance)).toBe(true);
        expect(containsCanary(instance.output())).toBe(false);
        expect(quotedStatements(instance.output())).toEqual([]);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
