import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { openDatabase } from '../src/db/orm';
import { ClaimDecision } from '../src/entities/claim-decision.entity';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import { ClaimEventType } from '../src/entities/claim-event-type';
import { LedgerAccount } from '../src/entities/ledger-account.entity';
import { LedgerAccountCode } from '../src/entities/ledger';
import { LedgerTransfer } from '../src/entities/ledger-transfer.entity';
import { Payout } from '../src/entities/payout.entity';
import { JobKind, JobStatus, ScheduledJob } from '../src/entities/scheduled-job.entity';
import { localIdOf } from '../src/graphql/global-id';
import { ManualClock } from '../src/services/common/clock';
import { checkLedger } from '../src/services/money/ledger-check';
import {
  FileClaimDocument,
  type FileClaimInput,
  RecordOrderDocument,
  RespondToClaimDocument,
  WorkflowClaimDocument,
} from './__generated__/graphql';
import { createScratchDatabase, onPostgres, type ScratchDatabase } from './support/database';
import { claimInput, establishedCustomer, insureSeller, seedMarketplace } from './support/fixtures';
import { usd } from './support/money';
import { startServerOn, TEST_NOW, type TestServer } from './support/test-server';
import { HOUR, SECOND } from './support/time';

const LARGE = usd('2500.00');
const SMALL = usd('250.00');

/**
 * These tests stop and start API instances over one database, as a deployment does: each test gets
 * a scratch database and a clock that every instance of the test shares.
 */
let database: ScratchDatabase;
let clock: ManualClock;
let running: TestServer[];

beforeEach(async () => {
  database = await createScratchDatabase();
  clock = new ManualClock(TEST_NOW);
  running = [];
});

afterEach(async () => {
  await Promise.all(running.map((instance) => instance.stop()));
  // Checked from a connection of its own, after every instance is gone: the books must balance.
  const orm = await openDatabase(database.target);
  try {
    expect(await checkLedger(orm.em.fork())).toEqual([]);
  } finally {
    await orm.close(true);
    await database.drop();
  }
});

/** Starts an API instance on the test's database and clock; `stop` leaves the database in place. */
async function startInstance(env: Record<string, string> = {}): Promise<TestServer> {
  const instance = await startServerOn(database.target, { clock, env });
  running.push(instance);
  return instance;
}

let orders = 0;

/** Records a new order of `customerRef` (so that each claim has its own) and returns its id. */
async function newOrder(
  t: TestServer,
  options: {
    customerRef?: string;
    sellerRef?: string;
    price?: { amount: string; currencyCode: string };
  } = {},
) {
  orders += 1;
  const agent = await t.agent();
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-jobs-${orders}`,
      customerRef: options.customerRef ?? 'cust-a',
      sellerRef: options.sellerRef ?? 'sell-a',
      productRef: 'prod-heater',
      quantity: 1,
      price: options.price ?? { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-04T15:00:00.000Z',
    },
  });
  if (!recordOrder.order) throw new Error(JSON.stringify(recordOrder.userErrors));
  return recordOrder.order.id;
}

/** Files a claim of cust-a on a new order; its screening job is due at once. */
async function fileClaim(
  t: TestServer,
  overrides: Partial<FileClaimInput> = {},
  order: Parameters<typeof newOrder>[1] = {},
): Promise<string> {
  const customer = await t.as(Role.CUSTOMER, order.customerRef ?? 'cust-a');
  const { fileClaim: filed } = await customer.data(FileClaimDocument, {
    input: claimInput(await newOrder(t, order), overrides),
  });
  if (!filed.claim) throw new Error(JSON.stringify(filed.userErrors));
  return filed.claim.id;
}

async function seed(t: TestServer): Promise<void> {
  await seedMarketplace(t);
  await insureSeller(t, 'sell-a', 'ins-a');
}

async function claimOf(t: TestServer, claimId: string) {
  return (await (await t.agent()).data(WorkflowClaimDocument, { id: claimId })).claim!;
}

/** The claim's jobs as stored, oldest due first. */
async function jobsOf(t: TestServer, claimId: string) {
  return t.orm.em
    .fork()
    .find(ScheduledJob, { claim: localIdOf(claimId, 'Claim')! }, { orderBy: { dueAt: 'asc', id: 'asc' } });
}

async function dueJobCount(t: TestServer): Promise<number> {
  return t.orm.em.fork().count(ScheduledJob, { status: JobStatus.PENDING, dueAt: { $lte: clock.now() } });
}

/** What the marketplace paid and decided on one claim, straight from the tables. */
async function settlementOf(t: TestServer, claimId: string) {
  const id = localIdOf(claimId, 'Claim')!;
  const em = t.orm.em.fork();
  return {
    payouts: await em.count(Payout, { claim: id }),
    payoutTransfers: await em.count(LedgerTransfer, { id: `claim:${id}:payout` }),
    decisions: (await em.find(ClaimDecision, { claim: id }, { orderBy: { id: 'asc' } })).map(
      (decision) => decision.kind,
    ),
    reminders: await em.count(ClaimEvent, { claim: id, type: ClaimEventType.RESPONSE_REMINDER }),
  };
}

describe('durable deadlines', () => {
  it('a deadline survives a restart: the next instance steps in exactly once', async () => {
    const first = await startInstance();
    await seed(first);
    const claimId = await fileClaim(first, { amountClaimed: LARGE });
    expect(await first.runJobs()).toBe(1);
    const routed = await claimOf(first, claimId);
    expect(routed.status).toBe('AWAITING_SELLER');
    await first.stop();

    // Nothing of the deadline lived in the stopped process: the new one finds it in the database.
    const second = await startInstance();
    clock.set(new Date(new Date(routed.respondBy!).getTime() + SECOND));
    expect(await second.runJobs()).toBe(3);
    expect(await second.runJobs()).toBe(0);
    const claim = await claimOf(second, claimId);
    expect(claim).toMatchObject({
      status: 'PAID',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED' },
      recovery: { debtor: 'INSURER', status: 'OPEN' },
    });
    expect(await settlementOf(second, claimId)).toEqual({
      payouts: 1,
      payoutTransfers: 1,
      decisions: ['ROUTED_TO_SELLER', 'STEPPED_IN_AFTER_SILENCE'],
      // Both reminders came due while no instance ran: after the deadline they are not sent.
      reminders: 0,
    });
    await second.stop();

    // A third start finds every job done and acts no more.
    const third = await startInstance();
    clock.advance(24 * HOUR);
    expect(await third.runJobs()).toBe(0);
    expect((await jobsOf(third, claimId)).map((job) => [job.kind, job.status, job.attempts])).toEqual([
      [JobKind.SCREEN_CLAIM, JobStatus.DONE, 1],
      [JobKind.SELLER_RESPONSE_REMINDER, JobStatus.DONE, 1],
      [JobKind.SELLER_RESPONSE_REMINDER, JobStatus.DONE, 1],
      [JobKind.SELLER_RESPONSE_DEADLINE, JobStatus.DONE, 1],
    ]);
    expect((await settlementOf(third, claimId)).payouts).toBe(1);
  });

  it('a job due later does not run early', async () => {
    const t = await startInstance();
    await seed(t);
    const claimId = await fileClaim(t, { amountClaimed: LARGE });
    await t.runJobs();
    const start = clock.now().getTime();
    // Each due time is checked a millisecond before (nothing runs) and at the instant (it runs).
    const steps: [afterRoutingMs: number, ran: number, reminders: number, status: string][] = [
      [48 * HOUR - 1, 0, 0, 'AWAITING_SELLER'],
      [48 * HOUR, 1, 1, 'AWAITING_SELLER'],
      [71 * HOUR - 1, 0, 1, 'AWAITING_SELLER'],
      [71 * HOUR, 1, 2, 'AWAITING_SELLER'],
      [72 * HOUR - 1, 0, 2, 'AWAITING_SELLER'],
      [72 * HOUR, 1, 2, 'PAID'],
    ];
    for (const [at, ran, reminders, status] of steps) {
      clock.set(new Date(start + at));
      const state = {
        ran: await t.runJobs(),
        reminders: (await settlementOf(t, claimId)).reminders,
        status: (await claimOf(t, claimId)).status,
      };
      expect({ at, ...state }).toEqual({ at, ran, reminders, status });
    }
    expect((await settlementOf(t, claimId)).payouts).toBe(1);
  });

  it('reminders that come due only after the deadline add no reminder', async () => {
    const t = await startInstance();
    await seed(t);
    const claimId = await fileClaim(t, { amountClaimed: LARGE });
    await t.runJobs();

    // No instance ran for four days: both reminders and the deadline are overdue at once. The
    // reminders run first (they are due first) yet the seller can no longer answer: no reminder.
    clock.advance(96 * HOUR);
    expect(await t.runJobs()).toBe(3);
    const claim = await claimOf(t, claimId);
    expect(claim.status).toBe('PAID');
    expect(claim.timeline.filter((event) => event.type === 'RESPONSE_REMINDER')).toEqual([]);
    expect(
      (await jobsOf(t, claimId))
        .filter((job) => job.kind === JobKind.SELLER_RESPONSE_REMINDER)
        .map((job) => job.status),
    ).toEqual([JobStatus.DONE, JobStatus.DONE]);
    expect((await settlementOf(t, claimId)).payouts).toBe(1);
  });

  it('once the seller has answered, the reminders and the deadline do nothing', async () => {
    const t = await startInstance();
    await seed(t);
    const claimId = await fileClaim(t, { amountClaimed: LARGE });
    await t.runJobs();
    const seller = await t.as(Role.SELLER, 'sell-a');
    const { respondToClaim } = await seller.data(RespondToClaimDocument, {
      input: { claimId, response: 'ACCEPT' },
    });
    expect(respondToClaim.userErrors).toEqual([]);

    clock.advance(96 * HOUR);
    expect(await t.runJobs()).toBe(3);
    expect((await claimOf(t, claimId)).status).toBe('SELLER_ACCEPTED');
    expect(await settlementOf(t, claimId)).toEqual({
      payouts: 1,
      payoutTransfers: 0,
      decisions: ['ROUTED_TO_SELLER', 'ACCEPTED_BY_SELLER'],
      reminders: 0,
    });
  });
});

describe('screenings and other jobs', () => {
  it('take turns: a backlog of screenings does not hold up a deadline that is due', async () => {
    // Screening batches of two and no reminders: each turn is two screenings, then other jobs.
    const t = await startInstance({ SCREENING_BATCH_MAX: '2', SELLER_REMINDER_HOURS: '' });
    await seed(t);
    const silent = await fileClaim(t, { amountClaimed: LARGE });
    expect(await t.runJobs()).toBe(1);
    clock.set(new Date((await claimOf(t, silent)).respondBy!));
    for (let i = 0; i < 6; i += 1) {
      const customerRef = `cust-backlog-${i}`;
      await establishedCustomer(t, customerRef);
      await fileClaim(t, { amountClaimed: SMALL }, { customerRef });
    }

    // Three attempts: two screenings, then the deadline, though four screenings are still due.
    expect(await t.server.jobs.runDue(3)).toBe(3);
    expect((await claimOf(t, silent)).status).toBe('PAID');
    expect(await dueJobCount(t)).toBe(4);
  });
});

describe('a backlog', () => {
  it('is worked off in one go: the processor does not wait for its next tick while due work is left', async () => {
    const t = await startInstance();
    await seed(t);
    for (let i = 0; i < 12; i += 1) {
      const customerRef = `cust-drain-${i}`;
      await establishedCustomer(t, customerRef);
      await fileClaim(t, { amountClaimed: SMALL }, { customerRef });
    }

    // One run of five attempts leaves seven due; draining with runs of five leaves none.
    expect(await t.server.jobs.runDue(5)).toBe(5);
    expect(await dueJobCount(t)).toBe(7);
    expect(await t.server.jobs.drain(5)).toBe(7);
    expect(await dueJobCount(t)).toBe(0);
  });
});

describe('two instances on one database', () => {
  // SQLite lets one writer in at a time, so the race for due rows exists only on PostgreSQL.
  it.runIf(onPostgres)('every due job runs exactly once, shared between the instances', async () => {
    // Screening batches of four: thirty screenings are shared between the instances as batches.
    const a = await startInstance({ SCREENING_BATCH_MAX: '4' });
    const b = await startInstance({ SCREENING_BATCH_MAX: '4' });
    await seed(a);
    const claimIds: string[] = [];
    // Each claim of its own customer: thirty claims of one claimant would be referred to an expert.
    for (let i = 0; i < 30; i += 1) {
      const customerRef = `cust-shared-${i}`;
      await establishedCustomer(a, customerRef);
      claimIds.push(await fileClaim(a, { amountClaimed: i % 2 === 0 ? LARGE : SMALL }, { customerRef }));
    }
    const large = claimIds.filter((_, i) => i % 2 === 0);
    const small = claimIds.filter((_, i) => i % 2 === 1);

    /** Both instances drain the due work at once; the sum of what they ran must equal it. */
    async function drainOnBoth(expected: number): Promise<void> {
      expect(await dueJobCount(a)).toBe(expected);
      const [byA, byB] = await Promise.all([a.server.jobs.runDue(), b.server.jobs.runDue()]);
      expect(byA + byB).toBe(expected);
      // Each takes the next unlocked row, so with this many jobs both get a share.
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      expect(await dueJobCount(a)).toBe(0);
    }

    // Screening: thirty claims, routed once each.
    await drainOnBoth(30);
    for (const claimId of small) {
      expect(await settlementOf(a, claimId)).toEqual({
        payouts: 1,
        payoutTransfers: 1,
        decisions: ['ROUTED_TO_CONCESSION'],
        reminders: 0,
      });
    }
    for (const claimId of large) {
      expect(await settlementOf(a, claimId)).toEqual({
        payouts: 0,
        payoutTransfers: 0,
        decisions: ['ROUTED_TO_SELLER'],
        reminders: 0,
      });
    }

    // Both reminders of fifteen claims, then their deadlines.
    const respondBy = new Date((await claimOf(a, large[0])).respondBy!).getTime();
    clock.set(new Date(respondBy - HOUR / 2));
    await drainOnBoth(30);
    clock.set(new Date(respondBy));
    await drainOnBoth(15);
    for (const claimId of large) {
      expect(await settlementOf(a, claimId)).toEqual({
        payouts: 1,
        payoutTransfers: 1,
        decisions: ['ROUTED_TO_SELLER', 'STEPPED_IN_AFTER_SILENCE'],
        reminders: 2,
      });
    }
    const jobs = await a.orm.em.fork().find(ScheduledJob, {});
    expect(jobs).toHaveLength(75);
    expect(
      jobs.filter((job) => job.status !== JobStatus.DONE || job.attempts !== 1 || job.lastError),
    ).toEqual([]);
  });
});

describe('failing jobs', () => {
  // A realistic fault: a concession threshold with cents cannot be expressed in yen, so routing a
  // yen claim throws until an operator corrects CONCESSION_THRESHOLD and restarts.
  const MISCONFIGURED = { CONCESSION_THRESHOLD: '1000.50', SUPPORTED_CURRENCIES: 'USD,JPY' };
  const YEN_CLAIM = { amountClaimed: { amount: '30000', currencyCode: 'JPY' } };
  const YEN_ORDER = {
    customerRef: 'cust-b',
    sellerRef: 'sell-b',
    price: { amount: '12000', currencyCode: 'JPY' },
  };

  it('a failing job is retried later with back-off and does not hold up other due jobs', async () => {
    const broken = await startInstance(MISCONFIGURED);
    await seed(broken);
    const yen = await fileClaim(broken, YEN_CLAIM, YEN_ORDER);
    const dollars = await fileClaim(broken, { amountClaimed: SMALL });

    // The yen claim's job comes first and fails; the dollar claim behind it is still screened.
    await broken.runJobs();
    expect((await claimOf(broken, dollars)).status).toBe('CLOSED');
    const yenClaim = await claimOf(broken, yen);
    expect(yenClaim.status).toBe('SUBMITTED');
    // The failed attempt rolled back: no screening event, no decision.
    expect(yenClaim.timeline.map((event) => event.type)).toEqual(['CLAIM_FILED']);
    expect(yenClaim.decisions).toEqual([]);
    const [failed] = await jobsOf(broken, yen);
    expect(failed).toMatchObject({
      status: JobStatus.PENDING,
      attempts: 1,
      dueAt: new Date(TEST_NOW.getTime() + 2 * SECOND),
    });
    expect(failed.lastError).toContain('CONCESSION_THRESHOLD cannot be expressed in JPY');

    // Not before its back-off; then again, failing again, and twice as long to wait.
    clock.advance(SECOND);
    expect(await broken.runJobs()).toBe(0);
    clock.advance(SECOND);
    await broken.runJobs();
    const [again] = await jobsOf(broken, yen);
    expect(again).toMatchObject({
      status: JobStatus.PENDING,
      attempts: 2,
      dueAt: new Date(TEST_NOW.getTime() + 6 * SECOND),
    });
    await broken.stop();

    // The corrected configuration takes over at the next attempt.
    const fixed = await startInstance({ SUPPORTED_CURRENCIES: 'USD,JPY' });
    expect(await fixed.runJobs()).toBe(0);
    clock.advance(4 * SECOND);
    expect(await fixed.runJobs()).toBe(1);
    expect((await claimOf(fixed, yen)).status).toBe('AWAITING_SELLER');
    const [done] = await jobsOf(fixed, yen);
    expect(done).toMatchObject({ kind: JobKind.SCREEN_CLAIM, status: JobStatus.DONE, attempts: 3 });
  });

  it('a job that keeps failing is given up after ten attempts and left for an operator', async () => {
    const broken = await startInstance(MISCONFIGURED);
    await seed(broken);
    const yen = await fileClaim(broken, YEN_CLAIM, YEN_ORDER);
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      await broken.runJobs();
      // The back-off is capped at an hour, so an hour always reaches the next attempt.
      clock.advance(HOUR);
    }
    const [job] = await jobsOf(broken, yen);
    expect(job).toMatchObject({ status: JobStatus.FAILED, attempts: 10 });
    clock.advance(24 * HOUR);
    expect(await broken.runJobs()).toBe(0);
    expect((await claimOf(broken, yen)).status).toBe('SUBMITTED');
  });
});

describe('npm run ledger:check', () => {
  const script = path.resolve('dist/scripts/ledger-check.js');

  beforeAll(async () => {
    // The script runs built, as `npm run ledger:check` runs it.
    await promisify(execFile)('npm', ['run', 'build', '--silent']);
  });

  /** Runs the built script against the test's database; resolves with its exit code and output. */
  function ledgerCheck(): Promise<{ code: number; stdout: string; stderr: string }> {
    const { DATABASE_URL: _url, SQLITE_PATH: _path, ...env } = process.env;
    const { target } = database;
    const where = target.databaseUrl
      ? { DATABASE_URL: target.databaseUrl }
      : { SQLITE_PATH: target.sqlitePath };
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [script],
        { env: { ...env, NODE_ENV: 'test', ...where } },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  it('exits 0 on a sound ledger and 1 once an entry breaks it', async () => {
    const t = await startInstance();
    await seed(t);
    await fileClaim(t, { amountClaimed: SMALL });
    await t.runJobs();
    expect(await ledgerCheck()).toEqual({ code: 0, stdout: 'ledger: all invariants hold\n', stderr: '' });

    // One debit with no credit, written past the ledger service.
    const em = t.orm.em.fork();
    const [transfer] = await em.find(LedgerTransfer, {});
    const cash = await em.findOneOrFail(LedgerAccount, { code: LedgerAccountCode.CASH, currency: 'USD' });
    const connection = em.getConnection();
    await connection.execute(
      `insert into ledger_entry (transfer_id, account_id, side, amount_minor, currency) values (?, ?, 'DEBIT', 100, 'USD')`,
      [transfer.id, cash.id],
    );
    const broken = await ledgerCheck();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^ledger: \d+ breach\(es\)\n$/);
    expect(broken.stderr).toContain('BREACH debits = credits per currency: USD');
    expect(broken.stderr).toContain(`BREACH each transfer balances: ${transfer.id}`);
    expect(broken.stderr).toContain('BREACH balance = sum of entries: CASH/USD');

    // Repaired, the books are sound again (and the test ends as every test does: checked clean).
    await connection.execute(
      `delete from ledger_entry where transfer_id = ? and side = 'DEBIT' and amount_minor = 100`,
      [transfer.id],
    );
    expect((await ledgerCheck()).code).toBe(0);
  });
});
