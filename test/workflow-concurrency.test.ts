import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { ormOptions } from '../src/db/orm';
import { ClaimDecision, ClaimDecisionKind } from '../src/entities/claim-decision.entity';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import { ActorRole, ClaimEventType } from '../src/entities/claim-event-type';
import { Claim } from '../src/entities/claim.entity';
import { LedgerTransfer } from '../src/entities/ledger-transfer.entity';
import { PayerParty } from '../src/entities/money-party';
import { Payout, PayoutStatus } from '../src/entities/payout.entity';
import { localIdOf } from '../src/graphql/global-id';
import { type RunningServer, startServer } from '../src/server/create-server';
import { createLogger } from '../src/server/logger';
import {
  FileClaimDocument,
  RecordClaimPaymentDocument,
  RecordOrderDocument,
  RespondToClaimDocument,
  ReviewClaimDocument,
  WithdrawClaimDocument,
  WorkflowClaimDocument,
} from './__generated__/graphql';
import { onPostgres } from './support/database';
import { claimInput, establishedCustomer, insureSeller, seedMarketplace } from './support/fixtures';
import { GraphQLClient, type GraphQLResponse } from './support/graphql-client';
import { startTestServer, TEST_NOW, type TestServer } from './support/test-server';
import { at, clockAt, DAY, HOUR } from './support/time';
import { sleep } from './support/waiting';

let t: TestServer;
let orders = 0;
/** Who filed each claim, by claim id. */
const claimants = new Map<string, string>();

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
  await insureSeller(t, 'sell-a', 'ins-a');
});

afterAll(async () => {
  await t?.stop();
});

afterEach(async () => {
  // Whatever raced, the books must still balance.
  expect(await t.ledgerBreaches()).toEqual([]);
});

/** A delivered heater order of a new customer: each claim here stands alone before screening. */
async function newOrder(): Promise<{ orderId: string; customerRef: string }> {
  orders += 1;
  const customerRef = `cust-race-${orders}`;
  const agent = await t.agent();
  await establishedCustomer(t, customerRef);
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-race-${orders}`,
      customerRef,
      sellerRef: 'sell-a',
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-04T15:00:00.000Z',
    },
  });
  return { orderId: recordOrder.order!.id, customerRef };
}

/** Files a claim at or above the concession threshold and lets screening route it to the seller. */
async function claimAwaitingSeller(): Promise<string> {
  const { orderId, customerRef } = await newOrder();
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(orderId, { amountClaimed: { amount: '2500.00', currencyCode: 'USD' } }),
  });
  await t.runJobs();
  const claimId = fileClaim.claim!.id;
  expect(await statusOf(claimId)).toBe('AWAITING_SELLER');
  claimants.set(claimId, customerRef);
  return claimId;
}

/** The seller rejects, which puts the claim before the marketplace. */
async function claimInMarketplaceReview(): Promise<string> {
  const claimId = await claimAwaitingSeller();
  const seller = await t.as(Role.SELLER, 'sell-a');
  const { respondToClaim } = await seller.data(RespondToClaimDocument, {
    input: { claimId, response: 'REJECT', statement: 'The heater was used outdoors, against its manual.' },
  });
  expect(respondToClaim.userErrors).toEqual([]);
  expect(respondToClaim.claim!.status).toBe('MARKETPLACE_REVIEW');
  return claimId;
}

async function workflowClaim(claimId: string) {
  const agent = await t.agent();
  return (await agent.data(WorkflowClaimDocument, { id: claimId })).claim!;
}

async function statusOf(claimId: string): Promise<string> {
  return (await workflowClaim(claimId)).status;
}

/** What the database holds about one claim's money and decisions. */
async function moneyRows(claimId: string) {
  const id = localIdOf(claimId, 'Claim')!;
  const em = t.orm.em.fork();
  const decisions = await em.find(ClaimDecision, { claim: id }, { orderBy: { id: 'asc' } });
  return {
    payouts: await em.count(Payout, { claim: id }),
    payoutTransfers: await em.count(LedgerTransfer, { id: `claim:${id}:payout` }),
    payoutEvents: await em.count(ClaimEvent, { claim: id, type: ClaimEventType.PAYOUT_COMPLETED }),
    decisions: decisions.map((decision) => decision.kind),
  };
}

/** Each response's one userError code, or OK; fails on top-level errors (a 500 would show here). */
function outcomes<T extends Record<string, { userErrors: { code: string }[] }>>(
  responses: GraphQLResponse<T>[],
): string[] {
  return responses.map((response) => {
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    const payload = Object.values(response.data!)[0];
    return payload.userErrors.length === 0 ? 'OK' : payload.userErrors.map((error) => error.code).join(',');
  });
}

function tally(codes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/** Sessions of the test database waiting for a lock, asked from outside any transaction. */
async function lockWaiters(orm: MikroORM): Promise<number> {
  // Outside the lock's transaction: PostgreSQL keeps one statistics snapshot per transaction.
  const { rows } = await (orm.em.getConnection() as AbstractSqlConnection)
    .getKnex()
    .raw(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
  return (rows as { waiting: number }[])[0].waiting;
}

interface QueuedStep<R> {
  /** How many database sessions this step parks on the lock. */
  sessions: number;
  start: () => Promise<R>;
}

/**
 * Holds the claim's row lock from a connection of the test while the steps start, each once the
 * ones before it wait on the lock, then releases it. Plain reads are not blocked, so every step has
 * read the claim before any of them can commit, and PostgreSQL hands the row to its waiters in the
 * order they queued: the interleaving is certain, not a matter of timing.
 */
async function queueBehindClaimLock<R>(claimId: string, steps: QueuedStep<R>[]): Promise<R[]> {
  const trx = await (t.orm.em.getConnection() as AbstractSqlConnection).getKnex().transaction();
  try {
    await trx.raw('select id from claim where id = ? for update', [localIdOf(claimId, 'Claim')]);
    const pending: Promise<R>[] = [];
    let expected = 0;
    let waiting = 0;
    for (const step of steps) {
      const started = step.start();
      // Keeps a rejection from being reported as unhandled while the lock is still held.
      started.catch(() => undefined);
      pending.push(started);
      expected += step.sessions;
      for (let waited = 0; waited < 5000 && waiting < expected; waited += 10) {
        await sleep(10);
        waiting = await lockWaiters(t.orm);
      }
      // Without it the order, or the race itself, would not be what the test claims.
      if (waiting < expected)
        throw new Error(`only ${waiting} of ${expected} sessions queued on the claim's lock`);
    }
    await trx.commit();
    return await Promise.all(pending);
  } catch (error) {
    if (!trx.isCompleted()) await trx.rollback();
    throw error;
  }
}

/**
 * A second API instance over the test database whose pool can park twenty transactions on one row
 * lock and still serve reads. With the pool of ten that openDatabase configures, once ten requests
 * wait on the lock the others cannot even read the claim, so they would read it only after the
 * winner committed and fail with ILLEGAL_TRANSITION instead of racing.
 */
async function startWidePoolInstance(): Promise<{
  orm: MikroORM;
  server: RunningServer;
  agent(subject: string): Promise<GraphQLClient>;
}> {
  const orm = await MikroORM.init({ ...ormOptions(t.config), pool: { min: 0, max: 30 } });
  const server = await startServer({
    config: t.config,
    orm,
    clock: t.clock,
    logger: createLogger(t.config.logLevel),
  });
  return {
    orm,
    server,
    agent: async (subject) =>
      new GraphQLClient(
        server.url,
        await issueToken(t.config.auth.jwtSecret!, { role: Role.AGENT, subject }),
      ),
  };
}

describe('concurrent transitions on one claim', () => {
  let wide: Awaited<ReturnType<typeof startWidePoolInstance>> | undefined;

  beforeAll(async () => {
    if (onPostgres) wide = await startWidePoolInstance();
  });

  afterAll(async () => {
    await wide?.server.stop();
    await wide?.orm.close(true);
  });

  // SQLite has no row locks: a second connection holding its write lock would make the requests
  // fail with SQLITE_BUSY instead of queueing behind it, so the barrier exists only on PostgreSQL.
  it.runIf(onPostgres)(
    'twenty agents decide at once behind a row lock: one wins, nineteen get CONFLICT, one event is written',
    async () => {
      const claimId = await claimInMarketplaceReview();
      const before = await workflowClaim(claimId);
      const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => wide!.agent(`agent-${i}`)));

      // All twenty have read the claim and queue on its version when the lock is released.
      const [responses] = await queueBehindClaimLock(claimId, [
        {
          sessions: 20,
          start: () =>
            Promise.all(
              agents.map((agent, i) =>
                agent.execute(ReviewClaimDocument, {
                  input: {
                    claimId,
                    decision: 'UPHOLD_REJECTION',
                    reason: `Agent ${i} agrees with the seller.`,
                    idempotencyKey: `uphold-${i}`,
                  },
                }),
              ),
            ),
        },
      ]);

      expect(tally(outcomes(responses))).toEqual({ OK: 1, CONFLICT: 19 });
      const after = await workflowClaim(claimId);
      expect(after.status).toBe('DENIED');
      const added = after.timeline.slice(before.timeline.length);
      expect(added).toEqual([
        expect.objectContaining({
          sequence: before.timeline.length + 1,
          type: 'STATUS_CHANGED',
          fromStatus: 'MARKETPLACE_REVIEW',
          toStatus: 'DENIED',
        }),
      ]);
      expect(after.decisions.filter((decision) => decision.kind === 'REJECTION_UPHELD')).toHaveLength(1);
    },
  );

  it.runIf(onPostgres)(
    'a response that waits on a claim held longer than the lock timeout is refused with CONFLICT, nothing written',
    async () => {
      const claimId = await claimAwaitingSeller();
      const before = await workflowClaim(claimId);
      const seller = await t.as(Role.SELLER, 'sell-a');
      const trx = await (t.orm.em.getConnection() as AbstractSqlConnection).getKnex().transaction();
      try {
        await trx.raw('select id from claim where id = ? for update', [localIdOf(claimId, 'Claim')]);
        // The lock is held until the answer arrives, however long the server waits for it.
        const response = await seller.execute(RespondToClaimDocument, {
          input: { claimId, response: 'ACCEPT', statement: 'We will pay.' },
        });
        expect(outcomes([response])).toEqual(['CONFLICT']);
      } finally {
        await trx.rollback();
      }
      const after = await workflowClaim(claimId);
      expect(after.status).toBe('AWAITING_SELLER');
      expect(after.timeline).toHaveLength(before.timeline.length);
    },
  );

  it('twenty withdrawals at once without a barrier: one succeeds, the others are refused cleanly', async () => {
    const claimId = await claimAwaitingSeller();
    const before = await workflowClaim(claimId);
    const customer = await t.as(Role.CUSTOMER, claimants.get(claimId)!);

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        customer.execute(WithdrawClaimDocument, { input: { claimId, reason: `attempt ${i}` } }),
      ),
    );

    // Requests that read the claim before the winner committed lose the version race (CONFLICT);
    // those that read it after see a withdrawn claim (ILLEGAL_TRANSITION). None may fail otherwise.
    const codes = outcomes(responses);
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code !== 'OK' && code !== 'CONFLICT' && code !== 'WRONG_STATUS')).toEqual(
      [],
    );
    const after = await workflowClaim(claimId);
    expect(after.status).toBe('WITHDRAWN');
    expect(after.timeline).toHaveLength(before.timeline.length + 1);
    expect(after.decisions.filter((decision) => decision.kind === 'WITHDRAWN')).toHaveLength(1);
  });
});

describe('concurrent duplicates of a money request', () => {
  let steppedIn: string;

  it('fifty identical STEP_IN reviews with one key: all get the first result, the customer is paid once', async () => {
    steppedIn = await claimInMarketplaceReview();
    const agent = await t.agent();
    const input = {
      claimId: steppedIn,
      decision: 'STEP_IN' as const,
      reason: 'The photos show a defect.',
      idempotencyKey: 'step-in-once',
    };

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => agent.execute(ReviewClaimDocument, { input })),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 50 });
    const first = responses[0].data!.reviewClaim;
    expect(first.claim).toMatchObject({
      status: 'PAID',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED' },
      recovery: { debtor: 'INSURER', status: 'OPEN' },
    });
    for (const response of responses) expect(response.data!.reviewClaim).toEqual(first);
    expect(await moneyRows(steppedIn)).toEqual({
      payouts: 1,
      payoutTransfers: 1,
      payoutEvents: 1,
      decisions: ['ROUTED_TO_SELLER', 'REJECTED_BY_SELLER', 'STEPPED_IN_AFTER_REVIEW'],
    });
  });

  it('the same key with a different reason is refused, and pays nothing more', async () => {
    const agent = await t.agent();
    const { reviewClaim } = await agent.data(ReviewClaimDocument, {
      input: {
        claimId: steppedIn,
        decision: 'STEP_IN',
        reason: 'A different reason.',
        idempotencyKey: 'step-in-once',
      },
    });
    expect(reviewClaim).toEqual({
      claim: null,
      userErrors: [
        { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) },
      ],
    });
    expect((await moneyRows(steppedIn)).payouts).toBe(1);
  });

  it('ten concurrent requests sharing a key but not a reason: one is applied, nine are told the key was reused', async () => {
    const claimId = await claimInMarketplaceReview();
    const agent = await t.agent();

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        agent.execute(ReviewClaimDocument, {
          input: {
            claimId,
            decision: 'STEP_IN',
            reason: `Reason number ${i}.`,
            idempotencyKey: 'one-key-ten-reasons',
          },
        }),
      ),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 1, IDEMPOTENCY_KEY_REUSED: 9 });
    expect(await moneyRows(claimId)).toMatchObject({ payouts: 1, payoutTransfers: 1, payoutEvents: 1 });
  });

  it("fifty identical confirmations of the seller's payment: one completion event, one paid claim", async () => {
    const claimId = await claimAwaitingSeller();
    const seller = await t.as(Role.SELLER, 'sell-a');
    const { respondToClaim } = await seller.data(RespondToClaimDocument, {
      input: { claimId, response: 'ACCEPT' },
    });
    expect(respondToClaim.claim!.status).toBe('SELLER_ACCEPTED');
    const input = { claimId, reference: 'wire-2026-0615-001', idempotencyKey: 'paid-once' };

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => seller.execute(RecordClaimPaymentDocument, { input })),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 50 });
    const first = responses[0].data!.recordClaimPayment;
    expect(first.claim).toMatchObject({
      status: 'CLOSED',
      payout: { payer: 'SELLER', status: 'COMPLETED', reference: 'wire-2026-0615-001' },
    });
    for (const response of responses) expect(response.data!.recordClaimPayment).toEqual(first);
    // The seller paid from its own money: nothing moves on the marketplace's ledger.
    expect(await moneyRows(claimId)).toMatchObject({ payouts: 1, payoutTransfers: 0, payoutEvents: 1 });

    const { recordClaimPayment } = await seller.data(RecordClaimPaymentDocument, {
      input: { ...input, reference: 'wire-2026-0615-002' },
    });
    expect(recordClaimPayment.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('the database itself refuses a second payout or a second payout transfer for a claim', async () => {
    const id = localIdOf(steppedIn, 'Claim')!;
    const em = t.orm.em.fork();
    const claim = await em.findOneOrFail(Claim, id);
    const now = t.clock.now();
    // A decision of its own, so that only the one-payout-per-claim key can object.
    const decision = em.create(ClaimDecision, {
      claim,
      kind: ClaimDecisionKind.STEPPED_IN_AFTER_REVIEW,
      decidedByRole: ActorRole.AGENT,
      decidedBySubject: 'agent-test',
      reason: 'a second decision to pay',
      decidedAt: now,
    });
    em.create(Payout, {
      claim,
      decision,
      payer: PayerParty.MARKETPLACE,
      amountMinor: 250000n,
      currency: 'USD',
      status: PayoutStatus.COMPLETED,
      createdAt: now,
      paidAt: now,
    });
    await expect(em.flush()).rejects.toBeInstanceOf(UniqueConstraintViolationException);

    const again = t.orm.em.fork();
    await expect(
      again.insert(LedgerTransfer, {
        id: `claim:${id}:payout`,
        kind: 'CLAIM_PAYOUT',
        claim: id,
        currency: 'USD',
        postedAt: now,
      }),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    // The refused flush wrote nothing, not even the decision staged with it.
    expect(await moneyRows(steppedIn)).toEqual({
      payouts: 1,
      payoutTransfers: 1,
      payoutEvents: 1,
      decisions: ['ROUTED_TO_SELLER', 'REJECTED_BY_SELLER', 'STEPPED_IN_AFTER_REVIEW'],
    });
  });
});

describe('the deadline job racing the parties', () => {
  /**
   * A claim routed at TEST_NOW whose reminders were sent, with the clock stopped exactly at its
   * deadline: the seller may still answer and the deadline job may already step in, so both are
   * legal and they truly race. Earlier claims are all settled, so runJobs concerns this one only.
   */
  async function claimAtItsDeadline(): Promise<string> {
    t.clock.set(TEST_NOW);
    const claimId = await claimAwaitingSeller();
    const respondBy = new Date((await workflowClaim(claimId)).respondBy!);
    t.clock.set(new Date(respondBy.getTime() - HOUR / 2));
    expect(await t.runJobs()).toBe(2);
    t.clock.set(respondBy);
    return claimId;
  }

  async function reject(claimId: string): Promise<string> {
    const seller = await t.as(Role.SELLER, 'sell-a');
    return outcomes([
      await seller.execute(RespondToClaimDocument, {
        input: { claimId, response: 'REJECT', statement: 'Not our product at fault.' },
      }),
    ])[0];
  }

  async function stepIn(claimId: string): Promise<string> {
    const agent = await t.agent();
    return outcomes([
      await agent.execute(ReviewClaimDocument, {
        input: {
          claimId,
          decision: 'STEP_IN',
          reason: 'The rejection is not convincing.',
          idempotencyKey: `step-in-${claimId}`,
        },
      }),
    ])[0];
  }

  /** Pays once, by whoever stepped in, whatever else happened. */
  async function expectPaidOnce(claimId: string, stepIns: string[]): Promise<void> {
    const rows = await moneyRows(claimId);
    expect(rows).toMatchObject({ payouts: 1, payoutTransfers: 1, payoutEvents: 1 });
    expect(rows.decisions.filter((kind) => kind.startsWith('STEPPED_IN'))).toEqual(stepIns);
    expect(await statusOf(claimId)).toBe('PAID');
  }

  beforeAll(async () => {
    // Earlier tests left reminders and deadlines pending on claims that have moved on; run them
    // now (they do nothing), so that the job counts below concern the claims raced here.
    clockAt(t.clock, at(30 * DAY));
    await t.runJobs();
    t.clock.set(TEST_NOW);
  });

  afterAll(() => {
    t.clock.set(TEST_NOW);
  });

  it('the deadline job racing rejections and agent step-ins on eight claims pays each claim once', async () => {
    // Filed at the same instant, the claims share their deadline, where the clock now stands.
    const claimIds: string[] = [];
    for (let i = 0; i < 8; i += 1) claimIds.push(await claimAtItsDeadline());

    // Which side reaches each claim first is left to the scheduler here; the next test fixes it.
    const [, parties] = await Promise.all([
      t.runJobs(),
      Promise.all(
        claimIds.map(async (claimId) => {
          const rejection = await reject(claimId);
          return { claimId, rejection, review: rejection === 'OK' ? await stepIn(claimId) : null };
        }),
      ),
    ]);

    for (const { claimId, rejection, review } of parties) {
      if (rejection === 'OK') {
        // The seller answered in time: the job found nothing to do and the agent paid.
        expect(review).toBe('OK');
        await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_REVIEW']);
      } else {
        // The job stepped in first; the answer lost the version race or found the claim paid.
        expect(['CONFLICT', 'WRONG_STATUS']).toContain(rejection);
        await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_SILENCE']);
      }
    }
  });

  // The order in which the job and the parties reach the claim is fixed with a row lock, which
  // only PostgreSQL has.
  it.runIf(onPostgres)(
    'in every order in which they reach the claim, the deadline job and the parties pay once',
    async () => {
      const job = async () => `ran ${await t.runJobs()}`;

      // The answer reaches the claim first; the job, already holding its job row, reads the claim
      // only after the answer committed and finds nothing to do. The agent then pays.
      let claimId = await claimAtItsDeadline();
      expect(
        await queueBehindClaimLock(claimId, [
          { sessions: 1, start: () => reject(claimId) },
          { sessions: 1, start: job },
        ]),
      ).toEqual(['OK', 'ran 1']);
      expect(await stepIn(claimId)).toBe('OK');
      await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_REVIEW']);

      // The job reaches the claim first and steps in; the answer, though it read the claim while it
      // was still open, loses the version race, and the agent finds nothing left to review.
      claimId = await claimAtItsDeadline();
      expect(
        await queueBehindClaimLock(claimId, [
          { sessions: 1, start: job },
          { sessions: 1, start: () => reject(claimId) },
        ]),
      ).toEqual(['ran 1', 'CONFLICT']);
      expect(await stepIn(claimId)).toBe('WRONG_STATUS');
      await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_SILENCE']);

      // The seller answered in time; the agent's step-in and the deadline job then race for the
      // claim under review. The agent first: it pays, and the job finds the claim paid.
      claimId = await claimAtItsDeadline();
      expect(await reject(claimId)).toBe('OK');
      expect(
        await queueBehindClaimLock(claimId, [
          { sessions: 1, start: () => stepIn(claimId) },
          { sessions: 1, start: job },
        ]),
      ).toEqual(['OK', 'ran 1']);
      await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_REVIEW']);

      // The job first: the claim is under review, not awaiting the seller, so it leaves it alone
      // and the agent's step-in, which read the claim before the job took it, still applies.
      claimId = await claimAtItsDeadline();
      expect(await reject(claimId)).toBe('OK');
      expect(
        await queueBehindClaimLock(claimId, [
          { sessions: 1, start: job },
          { sessions: 1, start: () => stepIn(claimId) },
        ]),
      ).toEqual(['ran 1', 'OK']);
      await expectPaidOnce(claimId, ['STEPPED_IN_AFTER_REVIEW']);
    },
  );
});
