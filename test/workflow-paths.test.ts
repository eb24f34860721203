import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { InsurancePolicy, PolicyVerificationStatus } from '../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { Seller } from '../src/entities/seller.entity';
import { localIdOf } from '../src/graphql/global-id';
import {
  type ActionBlockedReason,
  type ActorRole,
  AppealClaimDocument,
  type ClaimAction,
  type ClaimDecisionKind,
  type ClaimEventType,
  type ClaimStatus,
  DecideProductDefenceDocument,
  type EvidenceInput,
  FileClaimDocument,
  type FileClaimInput,
  RecordClaimPaymentDocument,
  RecordRecoveryPaymentDocument,
  ResolutionClaimDocument,
  type ResolutionClaimFragment,
  RespondToClaimDocument,
  type RespondToClaimInput,
  ReviewClaimDocument,
  type ReviewDecision,
  SubmitProductDefenceDocument,
  type UserErrorCode,
  WithdrawClaimDocument,
} from './__generated__/graphql';
import {
  claimInput,
  claimTableCounts,
  COMPLIANT_TERMS,
  insureSeller,
  type Marketplace,
  seedMarketplace,
} from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { usd } from './support/money';
import { startTestServer, type TestServer } from './support/test-server';
import { at, clockAt, DAY, HOUR, SECOND } from './support/time';

/**
 * The claim resolution paths end to end, over HTTP: filing, screening and routing by the job
 * processor, the parties' commands, deadlines moved by the test clock, and the ledger behind the
 * money. Every test starts from a fresh database, because the paths move the clock, insure
 * sellers and post to ledger accounts whose balances are compared absolutely.
 */

let t: TestServer;
let market: Marketplace;
let customerA: GraphQLClient;
let customerB: GraphQLClient;
let sellerA: GraphQLClient;
let sellerB: GraphQLClient;
/** The insurer `insureSeller(t, 'sell-a', 'ins-a')` gives sell-a. */
let insurerA: GraphQLClient;
let insurerB: GraphQLClient;
let agent: GraphQLClient;

beforeEach(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  customerA = await t.as(Role.CUSTOMER, 'cust-a');
  customerB = await t.as(Role.CUSTOMER, 'cust-b');
  sellerA = await t.as(Role.SELLER, 'sell-a');
  sellerB = await t.as(Role.SELLER, 'sell-b');
  insurerA = await t.as(Role.INSURER, 'ins-a');
  insurerB = await t.as(Role.INSURER, 'ins-b');
  agent = await t.agent();
});

afterEach(async () => {
  if (!t) return;
  try {
    expect(await t.ledgerBreaches()).toEqual([]);
  } finally {
    await t.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// Parties and claims

/** An evidence item no filing uses: its hash is derived from `n`. */
function newEvidence(n: number, kind: EvidenceInput['kind'] = 'DOCUMENT'): EvidenceInput {
  return {
    kind,
    description: `Exhibit ${n}`,
    contentHash: `sha256:${'b'.repeat(56)}${n.toString(16).padStart(8, '0')}`,
    uri: `https://files.example.com/exhibit-${n}.pdf`,
  };
}

/** Files a claim on one of the seeded orders, as that order's customer, and returns its id. */
async function file(
  customer: GraphQLClient,
  orderRef: string,
  overrides: Partial<FileClaimInput> = {},
): Promise<string> {
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(market.orders[orderRef].id, overrides),
  });
  expect(fileClaim.userErrors).toEqual([]);
  return fileClaim.claim!.id;
}

/** The claim as `viewer` sees it, or null when it may not. */
async function view(viewer: GraphQLClient, claimId: string): Promise<ResolutionClaimFragment | null> {
  return (await viewer.data(ResolutionClaimDocument, { id: claimId })).claim;
}

/** The claim as an agent sees it: everything. */
async function read(claimId: string): Promise<ResolutionClaimFragment> {
  const claim = await view(agent, claimId);
  expect(claim).not.toBeNull();
  return claim!;
}

/** Gives `sellerRef` a verified policy from `insurerRef` for the given days (inclusive). */
async function recordPolicy(
  sellerRef: string,
  insurerRef: string,
  effectiveFrom: string,
  effectiveTo: string,
): Promise<void> {
  const em = t.orm.em.fork();
  const provider =
    (await em.findOne(InsuranceProvider, { externalRef: insurerRef })) ??
    em.create(InsuranceProvider, { externalRef: insurerRef, name: `Insurer ${insurerRef}` });
  em.create(InsurancePolicy, {
    seller: await em.findOneOrFail(Seller, { externalRef: sellerRef }),
    provider,
    policyNumber: `POL-${sellerRef}-${insurerRef}-${effectiveFrom}`,
    effectiveFrom,
    effectiveTo,
    verificationStatus: PolicyVerificationStatus.VERIFIED,
    ...COMPLIANT_TERMS,
  });
  await em.flush();
}

// ---------------------------------------------------------------------------------------------
// Timelines, decisions and actions as whole objects

type TimelineEvent = ResolutionClaimFragment['timeline'][number];

interface Step {
  type: ClaimEventType;
  actorRole: ActorRole;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus | null;
}

function step(
  type: ClaimEventType,
  actorRole: ActorRole,
  fromStatus: ClaimStatus | null = null,
  toStatus: ClaimStatus | null = null,
): Step {
  return { type, actorRole, fromStatus, toStatus };
}

function moved(actorRole: ActorRole, fromStatus: ClaimStatus, toStatus: ClaimStatus): Step {
  return step('STATUS_CHANGED', actorRole, fromStatus, toStatus);
}

/** The timeline without its messages and times, after checking it is numbered 1, 2, 3… */
function stepsOf(claim: ResolutionClaimFragment): Step[] {
  expect(claim.timeline.map((event) => event.sequence)).toEqual(claim.timeline.map((_, index) => index + 1));
  return claim.timeline.map(({ type, actorRole, fromStatus, toStatus }) => ({
    type,
    actorRole,
    fromStatus,
    toStatus,
  }));
}

function lastEvent(claim: ResolutionClaimFragment): TimelineEvent {
  return claim.timeline[claim.timeline.length - 1];
}

const FILED = [step('CLAIM_FILED', 'CUSTOMER', null, 'SUBMITTED'), moved('SYSTEM', 'SUBMITTED', 'SCREENING')];
const CONCESSION_PAID = [
  moved('SYSTEM', 'SCREENING', 'APPROVED_CONCESSION'),
  step('PAYOUT_COMPLETED', 'SYSTEM'),
  moved('SYSTEM', 'APPROVED_CONCESSION', 'PAID'),
  step('SELLER_NOTIFIED', 'SYSTEM'),
];
const ASKED_SELLER = [moved('SYSTEM', 'SCREENING', 'AWAITING_SELLER'), step('SELLER_NOTIFIED', 'SYSTEM')];
const ASKED_SELLER_AND_INSURER = [...ASKED_SELLER, step('INSURER_NOTIFIED', 'SYSTEM')];

function decision(kind: ClaimDecisionKind, decidedByRole: ActorRole, reason: string, decidedAt: string) {
  return { kind, decidedByRole, reason, decidedAt };
}

/** Available actions in the role's order; a null reason means enabled. */
function actions(...entries: [ClaimAction, ActionBlockedReason | null][]) {
  return entries.map(([action, reason]) => ({ action, enabled: reason === null, reason }));
}

const NEXT_CLOSED = { summary: 'The claim is closed.', party: null, deadline: null };
const NEXT_RECOVERING = {
  summary: 'The customer was paid; the marketplace recovers the amount.',
  party: 'MARKETPLACE',
  deadline: null,
};
const NEXT_REVIEW = {
  summary: 'A claims agent decides whether the marketplace steps in.',
  party: 'MARKETPLACE',
  deadline: null,
};

// ---------------------------------------------------------------------------------------------
// The ledger and refusals

interface LedgerRow {
  transfer: string;
  kind: string;
  account: string;
  side: string;
  amountMinor: string;
}

/** Integer columns come back as numbers from SQLite and as strings from PostgreSQL. */
type DbInteger = string | number | bigint;

/** Every ledger entry posted for the claim, in posting order. */
async function ledgerOf(claimId: string): Promise<LedgerRow[]> {
  const sql = `select tr.id as transfer_id, tr.kind, a.code, e.side, e.amount_minor
                 from ledger_entry e
                 join ledger_transfer tr on tr.id = e.transfer_id
                 join ledger_account a on a.id = e.account_id
                where tr.claim_id = ?
                order by e.id`;
  const rows: { transfer_id: string; kind: string; code: string; side: string; amount_minor: DbInteger }[] =
    await t.orm.em.getConnection().execute(sql, [localIdOf(claimId, 'Claim')]);
  return rows.map((row) => ({
    transfer: row.transfer_id,
    kind: row.kind,
    account: row.code,
    side: row.side,
    amountMinor: String(row.amount_minor),
  }));
}

type AccountCode = 'CASH' | 'CLAIMS_EXPENSE' | 'RECOVERY_RECEIVABLE' | 'RECOVERIES';

/** The USD balance (debits minus credits, minor units) of every marketplace account; 0 if unused. */
async function balances(): Promise<Record<AccountCode, string>> {
  const rows: { code: string; balance_minor: DbInteger }[] = await t.orm.em
    .getConnection()
    .execute(`select code, balance_minor from ledger_account where currency = 'USD'`);
  const of = (code: AccountCode) => String(rows.find((row) => row.code === code)?.balance_minor ?? 0);
  return {
    CASH: of('CASH'),
    CLAIMS_EXPENSE: of('CLAIMS_EXPENSE'),
    RECOVERY_RECEIVABLE: of('RECOVERY_RECEIVABLE'),
    RECOVERIES: of('RECOVERIES'),
  };
}

function payoutRows(claimId: string, amountMinor: string): LedgerRow[] {
  const transfer = `claim:${localIdOf(claimId, 'Claim')}:payout`;
  return [
    { transfer, kind: 'CLAIM_PAYOUT', account: 'CASH', side: 'CREDIT', amountMinor },
    { transfer, kind: 'CLAIM_PAYOUT', account: 'CLAIMS_EXPENSE', side: 'DEBIT', amountMinor },
  ];
}

function recoveryOpenedRows(claimId: string, amountMinor: string): LedgerRow[] {
  const transfer = `claim:${localIdOf(claimId, 'Claim')}:recovery:open`;
  return [
    { transfer, kind: 'RECOVERY_OPENED', account: 'RECOVERIES', side: 'CREDIT', amountMinor },
    { transfer, kind: 'RECOVERY_OPENED', account: 'RECOVERY_RECEIVABLE', side: 'DEBIT', amountMinor },
  ];
}

/** Tables a workflow command or job can write to, beyond those a filing writes. */
const WORKFLOW_TABLES = [
  'claim_decision',
  'payout',
  'recovery',
  'product_defence',
  'scheduled_job',
  'ledger_account',
  'ledger_transfer',
  'ledger_entry',
] as const;

/** Everything a command could change: row counts, the claim's version and its full state. */
async function snapshot(claimId: string) {
  const connection = t.orm.em.getConnection();
  const counts = await claimTableCounts(t);
  for (const table of WORKFLOW_TABLES) {
    const [row]: { count: DbInteger }[] = await connection.execute(`select count(*) as count from ${table}`);
    counts[table] = Number(row.count);
  }
  const [claimRow]: { version: DbInteger }[] = await connection.execute(
    `select version from claim where id = ?`,
    [localIdOf(claimId, 'Claim')],
  );
  return { counts, version: Number(claimRow.version), claim: await read(claimId) };
}

/** Jobs not done: pending ones, and failed ones waiting for a retry or given up. */
async function unfinishedJobs(): Promise<{ kind: string; status: string }[]> {
  return t.orm.em
    .getConnection()
    .execute(`select kind, status from scheduled_job where status <> 'DONE' order by id`);
}

interface ExpectedUserError {
  field: string[];
  code: UserErrorCode;
  message: string;
}

interface Payload {
  claim: unknown;
  userErrors: ExpectedUserError[];
}

/** Sends a command that must be refused with exactly `userErrors` and must write nothing. */
async function expectRefused(
  claimId: string,
  send: () => Promise<Payload>,
  userErrors: ExpectedUserError[],
): Promise<void> {
  const before = await snapshot(claimId);
  expect(await send()).toEqual({ claim: null, userErrors });
  expect(await snapshot(claimId)).toEqual(before);
}

function claimError(code: UserErrorCode, message: string): ExpectedUserError {
  return { field: ['input', 'claimId'], code, message };
}

// ---------------------------------------------------------------------------------------------
// Commands

async function respond(client: GraphQLClient, input: RespondToClaimInput) {
  return (await client.data(RespondToClaimDocument, { input })).respondToClaim;
}

async function rejectAs(client: GraphQLClient, claimId: string, statement: string) {
  const payload = await respond(client, { claimId, response: 'REJECT', statement });
  expect(payload.userErrors).toEqual([]);
  return payload.claim!;
}

let keys = 0;
function key(): string {
  keys += 1;
  return `paths-${process.pid}-${keys}`;
}

async function review(claimId: string, decision: ReviewDecision, reason: string, idempotencyKey = key()) {
  return (await agent.data(ReviewClaimDocument, { input: { claimId, decision, reason, idempotencyKey } }))
    .reviewClaim;
}

async function appeal(
  customer: GraphQLClient,
  claimId: string,
  statement: string,
  evidence: EvidenceInput[],
) {
  return (await customer.data(AppealClaimDocument, { input: { claimId, statement, evidence } })).appealClaim;
}

async function withdraw(client: GraphQLClient, claimId: string, reason?: string) {
  return (await client.data(WithdrawClaimDocument, { input: { claimId, reason } })).withdrawClaim;
}

/** A claim of `amount` by cust-a on ord-a1 (sell-a), screened and waiting for the seller. */
async function awaitingSeller(amount: string): Promise<string> {
  const claimId = await file(customerA, 'ord-a1', { amountClaimed: usd(amount) });
  expect(await t.runJobs()).toBe(1);
  expect((await read(claimId)).status).toBe('AWAITING_SELLER');
  return claimId;
}

const REJECTION = 'The heater passed every safety test; the damage came from misuse.';
const DENIAL = 'The photos show damage that predates the purchase.';

/** sell-a insured by ins-a; a 1,500.00 claim rejected by the seller at +1 h and denied at +2 h. */
async function deniedClaim(): Promise<string> {
  await insureSeller(t, 'sell-a', 'ins-a');
  const claimId = await awaitingSeller('1500.00');
  clockAt(t.clock, at(HOUR));
  await rejectAs(sellerA, claimId, REJECTION);
  clockAt(t.clock, at(2 * HOUR));
  const denied = await review(claimId, 'UPHOLD_REJECTION', DENIAL);
  expect(denied.userErrors).toEqual([]);
  expect(denied.claim!.status).toBe('DENIED');
  return claimId;
}

// =============================================================================================

describe('small claims: the marketplace pays at once', () => {
  it('a claim against a seller insured on the incident day is paid, closed and booked as claims expense', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await file(customerA, 'ord-a1', { amountClaimed: usd('999.99') });
    // Screening comes first: the seller does not hear of the claim before it.
    expect(await view(sellerA, claimId)).toBeNull();

    expect(await t.runJobs()).toBe(1);

    const claim = await read(claimId);
    expect({ ...claim, timeline: stepsOf(claim) }).toEqual({
      id: claimId,
      status: 'CLOSED',
      route: 'CONCESSION',
      respondBy: null,
      denialReason: null,
      amountClaimed: usd('999.99'),
      nextStep: NEXT_CLOSED,
      payout: {
        payer: 'MARKETPLACE',
        status: 'COMPLETED',
        amount: usd('999.99'),
        reference: `claim:${localIdOf(claimId, 'Claim')}:payout`,
        createdAt: at(0),
        paidAt: at(0),
      },
      recovery: null,
      defences: [],
      decisions: [
        decision(
          'ROUTED_TO_CONCESSION',
          'SYSTEM',
          '999.99 USD is below the concession threshold of 1000.00 USD',
          at(0),
        ),
      ],
      timeline: [...FILED, ...CONCESSION_PAID, moved('SYSTEM', 'PAID', 'CLOSED')],
      evidence: [{ contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), addedByRole: 'CUSTOMER' }],
      injuryDetails: null,
      availableActions: actions(
        ['ADD_EVIDENCE', 'WRONG_STATUS'],
        ['WITHDRAW', 'WRONG_STATUS'],
        ['APPEAL', 'WRONG_STATUS'],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['STEP_IN', 'WRONG_STATUS'],
        ['UPHOLD_REJECTION', 'WRONG_STATUS'],
        ['DECIDE_DEFENCE', 'NOTHING_TO_DECIDE'],
        ['RECORD_RECOVERY_PAYMENT', 'NO_OPEN_RECOVERY'],
      ),
    });
    expect(claim.timeline.find((event) => event.type === 'SELLER_NOTIFIED')).toEqual({
      sequence: 6,
      type: 'SELLER_NOTIFIED',
      actorRole: 'SYSTEM',
      fromStatus: null,
      toStatus: null,
      occurredAt: at(0),
      message:
        'The seller was informed: the marketplace paid this claim at no cost to the seller, who may still submit evidence that the product was not defective.',
    });

    // Now the seller sees it, and may still defend the product.
    const seen = await view(sellerA, claimId);
    expect(seen).toMatchObject({ id: claimId, status: 'CLOSED', recovery: null });
    expect(seen!.availableActions).toEqual(
      actions(
        ['ACCEPT', 'WRONG_STATUS'],
        ['REJECT', 'WRONG_STATUS'],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['SUBMIT_DEFENCE', null],
      ),
    );

    expect(await ledgerOf(claimId)).toEqual(payoutRows(claimId, '99999'));
    expect(await balances()).toEqual({
      CASH: '-99999',
      CLAIMS_EXPENSE: '99999',
      RECOVERY_RECEIVABLE: '0',
      RECOVERIES: '0',
    });
  });

  it('a claim against an uninsured seller is paid, and recovered from the seller when no proof arrives in 7 days', async () => {
    const claimId = await file(customerA, 'ord-a2', { amountClaimed: usd('120.50') });
    expect(await t.runJobs()).toBe(1);

    const paid = await read(claimId);
    const awaitingProof = {
      debtor: 'SELLER',
      status: 'AWAITING_PROOF',
      amount: usd('120.50'),
      graceEndsAt: at(7 * DAY),
      reason: 'no product-liability policy is on record; concession paid for an uninsured seller',
      openedAt: at(0),
      resolvedAt: null,
    };
    expect(paid).toMatchObject({
      status: 'PAID',
      route: 'CONCESSION',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED', amount: usd('120.50'), paidAt: at(0) },
      recovery: awaitingProof,
      nextStep: {
        summary:
          'The customer was paid. The seller may prove it was insured on the incident date; otherwise the marketplace recovers the amount.',
        party: 'SELLER',
        deadline: at(7 * DAY),
      },
      decisions: [
        decision(
          'ROUTED_TO_CONCESSION',
          'SYSTEM',
          '120.50 USD is below the concession threshold of 1000.00 USD',
          at(0),
        ),
      ],
    });
    expect(stepsOf(paid)).toEqual([...FILED, ...CONCESSION_PAID, step('RECOVERY_OPENED', 'SYSTEM')]);
    expect(lastEvent(paid).message).toBe(
      'The seller had no insurance on the incident date: unless it proves cover by 2026-06-22T12:00:00.000Z, the marketplace recovers 120.50 USD from it.',
    );
    // Nothing is owed until the grace period ends.
    expect(await ledgerOf(claimId)).toEqual(payoutRows(claimId, '12050'));

    clockAt(t.clock, at(7 * DAY - SECOND));
    expect(await t.runJobs()).toBe(0);
    expect((await read(claimId)).recovery).toEqual(awaitingProof);

    clockAt(t.clock, at(7 * DAY));
    expect(await t.runJobs()).toBe(1);
    const owed = await read(claimId);
    expect(owed).toMatchObject({
      status: 'PAID',
      nextStep: NEXT_RECOVERING,
      recovery: { ...awaitingProof, status: 'OPEN' },
    });
    expect(stepsOf(owed)).toEqual([...stepsOf(paid), step('RECOVERY_OPENED', 'SYSTEM')]);
    expect(lastEvent(owed)).toMatchObject({
      occurredAt: at(7 * DAY),
      message: 'No proof of insurance arrived in the grace period: the recovery from the seller proceeds.',
    });
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '12050'),
      ...recoveryOpenedRows(claimId, '12050'),
    ]);
    expect(await balances()).toEqual({
      CASH: '-12050',
      CLAIMS_EXPENSE: '12050',
      RECOVERY_RECEIVABLE: '12050',
      RECOVERIES: '-12050',
    });
    expect(await t.runJobs()).toBe(0);
  });

  it('proof of insurance recorded within the grace period cancels the recovery and closes the claim', async () => {
    const claimId = await file(customerA, 'ord-a2', { amountClaimed: usd('120.50') });
    expect(await t.runJobs()).toBe(1);

    clockAt(t.clock, at(3 * DAY));
    await insureSeller(t, 'sell-b', 'ins-b');
    expect(await t.runJobs()).toBe(0);
    expect((await read(claimId)).recovery!.status).toBe('AWAITING_PROOF');

    clockAt(t.clock, at(7 * DAY));
    expect(await t.runJobs()).toBe(1);
    const closed = await read(claimId);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      nextStep: NEXT_CLOSED,
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED', amount: usd('120.50'), paidAt: at(0) },
      recovery: { debtor: 'SELLER', status: 'CANCELLED', graceEndsAt: at(7 * DAY), resolvedAt: at(7 * DAY) },
    });
    expect(stepsOf(closed)).toEqual([
      ...FILED,
      ...CONCESSION_PAID,
      step('RECOVERY_OPENED', 'SYSTEM'),
      step('RECOVERY_CANCELLED', 'SYSTEM'),
      moved('SYSTEM', 'PAID', 'CLOSED'),
    ]);
    expect(await ledgerOf(claimId)).toEqual(payoutRows(claimId, '12050'));
    expect(await balances()).toEqual({
      CASH: '-12050',
      CLAIMS_EXPENSE: '12050',
      RECOVERY_RECEIVABLE: '0',
      RECOVERIES: '0',
    });
  });

  it('recording the recovery payment collects the receivable into cash and closes the claim', async () => {
    const claimId = await file(customerA, 'ord-a2', { amountClaimed: usd('120.50') });
    await t.runJobs();
    clockAt(t.clock, at(7 * DAY));
    expect(await t.runJobs()).toBe(1);

    clockAt(t.clock, at(10 * DAY));
    const idempotencyKey = key();
    const sent = { claimId, reference: 'WIRE-5531', idempotencyKey };
    const { recordRecoveryPayment } = await agent.data(RecordRecoveryPaymentDocument, { input: sent });
    expect(recordRecoveryPayment.userErrors).toEqual([]);
    const closed = await read(claimId);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      nextStep: NEXT_CLOSED,
      recovery: { debtor: 'SELLER', status: 'RECOVERED', amount: usd('120.50'), resolvedAt: at(10 * DAY) },
    });
    expect(stepsOf(closed).slice(-2)).toEqual([
      step('RECOVERY_COLLECTED', 'AGENT'),
      moved('SYSTEM', 'PAID', 'CLOSED'),
    ]);
    const collect = `claim:${localIdOf(claimId, 'Claim')}:recovery:collect`;
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '12050'),
      ...recoveryOpenedRows(claimId, '12050'),
      { transfer: collect, kind: 'RECOVERY_COLLECTED', account: 'CASH', side: 'DEBIT', amountMinor: '12050' },
      {
        transfer: collect,
        kind: 'RECOVERY_COLLECTED',
        account: 'RECOVERY_RECEIVABLE',
        side: 'CREDIT',
        amountMinor: '12050',
      },
    ]);
    expect(await balances()).toEqual({
      CASH: '0',
      CLAIMS_EXPENSE: '12050',
      RECOVERY_RECEIVABLE: '0',
      RECOVERIES: '-12050',
    });

    // A retry answers with the first result; a new payment finds nothing left to collect.
    const retried = await agent.data(RecordRecoveryPaymentDocument, { input: sent });
    expect(retried.recordRecoveryPayment).toEqual(recordRecoveryPayment);
    await expectRefused(
      claimId,
      async () =>
        (await agent.data(RecordRecoveryPaymentDocument, { input: { ...sent, idempotencyKey: key() } }))
          .recordRecoveryPayment,
      [claimError('NO_OPEN_RECOVERY', 'the claim has no open recovery')],
    );
  });
});

describe('larger claims: the seller side answers before the deadline', () => {
  it("the seller's insurer accepts, names itself payer, pays, and alone among the seller side sees the injury", async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const injury = {
      description: 'Burns to the right hand',
      medicallyTreated: true,
      treatmentDetails: 'Treated at the emergency room',
    };
    const claimId = await file(customerB, 'ord-b1', {
      kinds: ['PERSONAL_INJURY'],
      injuryDetails: injury,
      amountClaimed: usd('1000.00'),
    });
    expect(await t.runJobs()).toBe(1);

    const routed = await read(claimId);
    expect(routed).toMatchObject({
      status: 'AWAITING_SELLER',
      route: 'SELLER_RESPONSE',
      respondBy: at(72 * HOUR),
      nextStep: {
        summary: 'The seller or its insurer accepts or rejects the claim before the deadline.',
        party: 'SELLER',
        deadline: at(72 * HOUR),
      },
      payout: null,
      recovery: null,
      injuryDetails: injury,
      decisions: [
        decision(
          'ROUTED_TO_SELLER',
          'SYSTEM',
          '1000.00 USD is at or above the concession threshold: the seller must respond',
          at(0),
        ),
      ],
    });
    expect(stepsOf(routed)).toEqual([...FILED, ...ASKED_SELLER_AND_INSURER]);
    // Before anyone on the seller side pays, nobody there sees the medical facts.
    expect(await view(insurerA, claimId)).toMatchObject({ id: claimId, injuryDetails: null });
    expect(await view(sellerA, claimId)).toMatchObject({ id: claimId, injuryDetails: null });

    clockAt(t.clock, at(2 * HOUR));
    const accepted = await respond(insurerA, {
      claimId,
      response: 'ACCEPT',
      payer: 'INSURER',
      statement: 'Covered under policy POL-sell-a-ins-a.',
    });
    expect(accepted.userErrors).toEqual([]);
    const promised = await read(claimId);
    expect(promised).toMatchObject({
      status: 'SELLER_ACCEPTED',
      payout: {
        payer: 'INSURER',
        status: 'PENDING',
        amount: usd('1000.00'),
        reference: null,
        createdAt: at(2 * HOUR),
        paidAt: null,
      },
      recovery: null,
      // The insurer agreed to pay: the next move is the insurer's.
      nextStep: { summary: "The seller's insurer pays the customer.", party: 'INSURER', deadline: null },
      decisions: [
        decision(
          'ROUTED_TO_SELLER',
          'SYSTEM',
          '1000.00 USD is at or above the concession threshold: the seller must respond',
          at(0),
        ),
        decision('ACCEPTED_BY_INSURER', 'INSURER', 'Covered under policy POL-sell-a-ins-a.', at(2 * HOUR)),
      ],
    });
    expect(stepsOf(promised)).toEqual([
      ...FILED,
      ...ASKED_SELLER_AND_INSURER,
      moved('INSURER', 'AWAITING_SELLER', 'SELLER_ACCEPTED'),
      step('PAYOUT_PROMISED', 'INSURER'),
    ]);
    expect(promised.timeline.find((event) => event.toStatus === 'SELLER_ACCEPTED')!.message).toBe(
      "The claim was accepted by the seller's insurer; the insurer pays.",
    );

    // The paying insurer needs the medical facts; the seller never gets them.
    expect((await view(insurerA, claimId))!.injuryDetails).toEqual(injury);
    expect((await view(sellerA, claimId))!.injuryDetails).toBeNull();

    const payment = { claimId, reference: 'INS-PAY-7781', idempotencyKey: key() };
    await expectRefused(
      claimId,
      async () => (await sellerA.data(RecordClaimPaymentDocument, { input: payment })).recordClaimPayment,
      [claimError('NOT_THE_PAYER', 'only the party that accepted to pay can confirm the payment')],
    );

    clockAt(t.clock, at(5 * HOUR));
    const { recordClaimPayment } = await insurerA.data(RecordClaimPaymentDocument, { input: payment });
    expect(recordClaimPayment.userErrors).toEqual([]);
    const closed = await read(claimId);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      nextStep: NEXT_CLOSED,
      payout: {
        payer: 'INSURER',
        status: 'COMPLETED',
        amount: usd('1000.00'),
        reference: 'INS-PAY-7781',
        createdAt: at(2 * HOUR),
        paidAt: at(5 * HOUR),
      },
      recovery: null,
    });
    expect(stepsOf(closed)).toEqual([
      ...stepsOf(promised),
      step('PAYOUT_COMPLETED', 'INSURER'),
      moved('INSURER', 'SELLER_ACCEPTED', 'PAID'),
      moved('SYSTEM', 'PAID', 'CLOSED'),
    ]);
    expect((await view(insurerA, claimId))!.injuryDetails).toEqual(injury);
    expect((await view(sellerA, claimId))!.injuryDetails).toBeNull();

    // A retry of the confirmation changes nothing; the deadline jobs find nothing to do.
    const retried = await insurerA.data(RecordClaimPaymentDocument, { input: payment });
    expect(retried.recordClaimPayment).toEqual(recordClaimPayment);
    clockAt(t.clock, at(72 * HOUR));
    expect(await t.runJobs()).toBe(3);
    expect(await read(claimId)).toEqual(closed);
    // The insurer paid from its own money: the marketplace's books do not move.
    expect(await ledgerOf(claimId)).toEqual([]);
  });

  it('silence: reminders 24 h and 1 h before the deadline, then the marketplace steps in and pursues the uninsured seller', async () => {
    const claimId = await file(customerB, 'ord-b2', { amountClaimed: usd('4200.00') });
    expect(await t.runJobs()).toBe(1);
    const routed = await read(claimId);
    expect(routed).toMatchObject({ status: 'AWAITING_SELLER', respondBy: at(72 * HOUR) });
    // sell-b has no insurer: only the seller is told.
    expect(stepsOf(routed)).toEqual([...FILED, ...ASKED_SELLER]);
    expect(lastEvent(routed).message).toBe(
      'The seller was notified and must accept or reject the claim by 2026-06-18T12:00:00.000Z.',
    );

    clockAt(t.clock, at(48 * HOUR - SECOND));
    expect(await t.runJobs()).toBe(0);
    clockAt(t.clock, at(48 * HOUR));
    expect(await t.runJobs()).toBe(1);
    expect(lastEvent(await read(claimId))).toEqual({
      sequence: 5,
      type: 'RESPONSE_REMINDER',
      actorRole: 'SYSTEM',
      fromStatus: null,
      toStatus: null,
      occurredAt: at(48 * HOUR),
      message: 'Reminder sent to the seller: about 24 h left to respond (deadline 2026-06-18T12:00:00.000Z).',
    });

    clockAt(t.clock, at(71 * HOUR - SECOND));
    expect(await t.runJobs()).toBe(0);
    clockAt(t.clock, at(71 * HOUR));
    expect(await t.runJobs()).toBe(1);
    expect(lastEvent(await read(claimId))).toEqual({
      sequence: 6,
      type: 'RESPONSE_REMINDER',
      actorRole: 'SYSTEM',
      fromStatus: null,
      toStatus: null,
      occurredAt: at(71 * HOUR),
      message: 'Reminder sent to the seller: about 1 h left to respond (deadline 2026-06-18T12:00:00.000Z).',
    });

    clockAt(t.clock, at(72 * HOUR - SECOND));
    expect(await t.runJobs()).toBe(0);
    expect((await read(claimId)).status).toBe('AWAITING_SELLER');

    // The deadline is absolute: once it has passed the seller cannot answer, job or no job.
    clockAt(t.clock, at(72 * HOUR + SECOND));
    expect((await view(sellerB, claimId))!.availableActions).toEqual(
      actions(
        ['ACCEPT', 'DEADLINE_PASSED'],
        ['REJECT', 'DEADLINE_PASSED'],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['SUBMIT_DEFENCE', 'WRONG_STATUS'],
      ),
    );
    const tooLate = [claimError('DEADLINE_PASSED', 'the response deadline has passed')];
    await expectRefused(claimId, () => respond(sellerB, { claimId, response: 'ACCEPT' }), tooLate);
    await expectRefused(
      claimId,
      () => respond(sellerB, { claimId, response: 'REJECT', statement: REJECTION }),
      tooLate,
    );

    expect(await t.runJobs()).toBe(1);
    const steppedIn = await read(claimId);
    expect({ ...steppedIn, timeline: stepsOf(steppedIn) }).toEqual({
      id: claimId,
      status: 'PAID',
      route: 'SELLER_RESPONSE',
      respondBy: at(72 * HOUR),
      denialReason: null,
      amountClaimed: usd('4200.00'),
      nextStep: NEXT_RECOVERING,
      payout: {
        payer: 'MARKETPLACE',
        status: 'COMPLETED',
        amount: usd('4200.00'),
        reference: `claim:${localIdOf(claimId, 'Claim')}:payout`,
        createdAt: at(72 * HOUR + SECOND),
        paidAt: at(72 * HOUR + SECOND),
      },
      recovery: {
        debtor: 'SELLER',
        status: 'OPEN',
        amount: usd('4200.00'),
        graceEndsAt: null,
        reason: 'the marketplace stepped in: the seller did not respond by the deadline',
        openedAt: at(72 * HOUR + SECOND),
        resolvedAt: null,
      },
      defences: [],
      decisions: [
        decision(
          'ROUTED_TO_SELLER',
          'SYSTEM',
          '4200.00 USD is at or above the concession threshold: the seller must respond',
          at(0),
        ),
        decision(
          'STEPPED_IN_AFTER_SILENCE',
          'SYSTEM',
          'no response by the deadline of 2026-06-18T12:00:00.000Z',
          at(72 * HOUR + SECOND),
        ),
      ],
      timeline: [
        ...FILED,
        ...ASKED_SELLER,
        step('RESPONSE_REMINDER', 'SYSTEM'),
        step('RESPONSE_REMINDER', 'SYSTEM'),
        moved('SYSTEM', 'AWAITING_SELLER', 'STEPPED_IN'),
        step('PAYOUT_COMPLETED', 'SYSTEM'),
        moved('SYSTEM', 'STEPPED_IN', 'PAID'),
        step('RECOVERY_OPENED', 'SYSTEM'),
      ],
      evidence: [expect.objectContaining({ addedByRole: 'CUSTOMER' })],
      injuryDetails: null,
      // What is left is the marketplace's: collecting the recovery.
      availableActions: actions(
        ['ADD_EVIDENCE', 'WRONG_STATUS'],
        ['WITHDRAW', 'WRONG_STATUS'],
        ['APPEAL', 'WRONG_STATUS'],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['STEP_IN', 'WRONG_STATUS'],
        ['UPHOLD_REJECTION', 'WRONG_STATUS'],
        ['DECIDE_DEFENCE', 'NOTHING_TO_DECIDE'],
        ['RECORD_RECOVERY_PAYMENT', null],
      ),
    });
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '420000'),
      ...recoveryOpenedRows(claimId, '420000'),
    ]);
    expect(await balances()).toEqual({
      CASH: '-420000',
      CLAIMS_EXPENSE: '420000',
      RECOVERY_RECEIVABLE: '420000',
      RECOVERIES: '-420000',
    });
    expect(await t.runJobs()).toBe(0);
  });

  it("silence with an insured seller: both are reminded and the recovery is sought from the seller's insurer", async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('2000.00');
    clockAt(t.clock, at(48 * HOUR));
    expect(await t.runJobs()).toBe(1);
    expect(lastEvent(await read(claimId)).message).toBe(
      'Reminder sent to the seller and its insurer: about 24 h left to respond (deadline 2026-06-18T12:00:00.000Z).',
    );
    // The processor wakes only at the deadline: the 1 h reminder, now overdue, is not sent late.
    clockAt(t.clock, at(72 * HOUR));
    expect(await t.runJobs()).toBe(2);
    const steppedIn = await read(claimId);
    expect(steppedIn).toMatchObject({
      status: 'PAID',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED', amount: usd('2000.00') },
      recovery: { debtor: 'INSURER', status: 'OPEN', amount: usd('2000.00') },
    });
    expect(stepsOf(steppedIn)).toEqual([
      ...FILED,
      ...ASKED_SELLER_AND_INSURER,
      step('RESPONSE_REMINDER', 'SYSTEM'),
      moved('SYSTEM', 'AWAITING_SELLER', 'STEPPED_IN'),
      step('PAYOUT_COMPLETED', 'SYSTEM'),
      moved('SYSTEM', 'STEPPED_IN', 'PAID'),
      step('RECOVERY_OPENED', 'SYSTEM'),
    ]);
    expect(lastEvent(steppedIn).message).toBe(
      "The marketplace recovers 2000.00 USD from the seller's insurer.",
    );
  });
});

describe('rejections, reviews and product defences', () => {
  it('rejected, the marketplace steps in; the defence of the product is upheld, so the recovery is dropped and the customer keeps the payout', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('2500.00');

    clockAt(t.clock, at(5 * HOUR));
    await rejectAs(sellerA, claimId, REJECTION);
    const inReview = await read(claimId);
    expect(inReview).toMatchObject({
      status: 'MARKETPLACE_REVIEW',
      nextStep: NEXT_REVIEW,
      payout: null,
      recovery: null,
    });
    expect(inReview.decisions[1]).toEqual(decision('REJECTED_BY_SELLER', 'SELLER', REJECTION, at(5 * HOUR)));
    expect(stepsOf(inReview)).toEqual([
      ...FILED,
      ...ASKED_SELLER_AND_INSURER,
      moved('SELLER', 'AWAITING_SELLER', 'SELLER_REJECTED'),
      moved('SYSTEM', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW'),
    ]);

    // The answer came in time: the reminders and the deadline, each run when due, find nothing to do.
    for (const due of [48 * HOUR, 71 * HOUR, 72 * HOUR]) {
      clockAt(t.clock, at(due));
      expect(await t.runJobs()).toBe(1);
      expect(await read(claimId)).toEqual(inReview);
    }

    const stepIn = 'The photos show a melted thermostat: the product was defective.';
    const reviewed = await review(claimId, 'STEP_IN', stepIn);
    expect(reviewed.userErrors).toEqual([]);
    const paid = await read(claimId);
    const payout = {
      payer: 'MARKETPLACE',
      status: 'COMPLETED',
      amount: usd('2500.00'),
      reference: `claim:${localIdOf(claimId, 'Claim')}:payout`,
      createdAt: at(72 * HOUR),
      paidAt: at(72 * HOUR),
    };
    expect(paid).toMatchObject({
      status: 'PAID',
      nextStep: NEXT_RECOVERING,
      payout,
      recovery: {
        debtor: 'INSURER',
        status: 'OPEN',
        amount: usd('2500.00'),
        reason: `the marketplace stepped in: ${stepIn}`,
        resolvedAt: null,
      },
    });
    expect(paid.decisions[2]).toEqual(decision('STEPPED_IN_AFTER_REVIEW', 'AGENT', stepIn, at(72 * HOUR)));
    expect(stepsOf(paid)).toEqual([
      ...stepsOf(inReview),
      moved('AGENT', 'MARKETPLACE_REVIEW', 'STEPPED_IN'),
      step('PAYOUT_COMPLETED', 'SYSTEM'),
      moved('AGENT', 'STEPPED_IN', 'PAID'),
      step('RECOVERY_OPENED', 'SYSTEM'),
    ]);

    clockAt(t.clock, at(4 * DAY));
    const defence = 'An independent laboratory found no defect in the returned unit.';
    const submitted = await sellerA.data(SubmitProductDefenceDocument, {
      input: { claimId, statement: defence, evidence: [newEvidence(1, 'EXPERT_REPORT')] },
    });
    expect(submitted.submitProductDefence.userErrors).toEqual([]);
    const defended = await read(claimId);
    expect(defended).toMatchObject({
      status: 'PAID',
      payout,
      recovery: { status: 'OPEN' },
      defences: [
        {
          status: 'SUBMITTED',
          statement: defence,
          submittedByRole: 'SELLER',
          submittedAt: at(4 * DAY),
          decisionReason: null,
          decidedAt: null,
        },
      ],
    });
    expect(defended.evidence).toContainEqual({
      contentHash: newEvidence(1).contentHash,
      addedByRole: 'SELLER',
    });
    expect(stepsOf(defended)).toEqual([...stepsOf(paid), step('DEFENCE_SUBMITTED', 'SELLER')]);
    expect(defended.availableActions.find((entry) => entry.action === 'DECIDE_DEFENCE')).toEqual({
      action: 'DECIDE_DEFENCE',
      enabled: true,
      reason: null,
    });
    await expectRefused(
      claimId,
      async () =>
        (await sellerA.data(SubmitProductDefenceDocument, { input: { claimId, statement: defence } }))
          .submitProductDefence,
      [claimError('DEFENCE_AWAITING_DECISION', 'a defence of this claim already awaits a decision')],
    );

    clockAt(t.clock, at(5 * DAY));
    const upheld = 'The laboratory report is convincing.';
    const decided = await agent.data(DecideProductDefenceDocument, {
      input: { claimId, decision: 'UPHOLD', reason: upheld },
    });
    expect(decided.decideProductDefence.userErrors).toEqual([]);
    const closed = await read(claimId);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      nextStep: NEXT_CLOSED,
      payout,
      recovery: { debtor: 'INSURER', status: 'CANCELLED', amount: usd('2500.00'), resolvedAt: at(5 * DAY) },
      defences: [
        {
          status: 'UPHELD',
          statement: defence,
          submittedByRole: 'SELLER',
          submittedAt: at(4 * DAY),
          decisionReason: upheld,
          decidedAt: at(5 * DAY),
        },
      ],
    });
    expect(closed.decisions[3]).toEqual(decision('DEFENCE_UPHELD', 'AGENT', upheld, at(5 * DAY)));
    expect(stepsOf(closed)).toEqual([
      ...stepsOf(defended),
      step('DEFENCE_DECIDED', 'AGENT'),
      step('RECOVERY_CANCELLED', 'AGENT'),
      moved('SYSTEM', 'PAID', 'CLOSED'),
    ]);
    const cancel = `claim:${localIdOf(claimId, 'Claim')}:recovery:cancel`;
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '250000'),
      ...recoveryOpenedRows(claimId, '250000'),
      {
        transfer: cancel,
        kind: 'RECOVERY_CANCELLED',
        account: 'RECOVERIES',
        side: 'DEBIT',
        amountMinor: '250000',
      },
      {
        transfer: cancel,
        kind: 'RECOVERY_CANCELLED',
        account: 'RECOVERY_RECEIVABLE',
        side: 'CREDIT',
        amountMinor: '250000',
      },
    ]);
    expect(await balances()).toEqual({
      CASH: '-250000',
      CLAIMS_EXPENSE: '250000',
      RECOVERY_RECEIVABLE: '0',
      RECOVERIES: '0',
    });
  });

  it('a rejected defence keeps the recovery open and the claim paid', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('2500.00');
    await rejectAs(insurerA, claimId, REJECTION);
    expect((await review(claimId, 'STEP_IN', 'The product was defective.')).userErrors).toEqual([]);
    const defence = 'The customer misused the heater.';
    expect(
      (await insurerA.data(SubmitProductDefenceDocument, { input: { claimId, statement: defence } }))
        .submitProductDefence.userErrors,
    ).toEqual([]);

    clockAt(t.clock, at(DAY));
    const reason = 'The misuse claim is not supported by the evidence.';
    const decided = await agent.data(DecideProductDefenceDocument, {
      input: { claimId, decision: 'REJECT', reason },
    });
    expect(decided.decideProductDefence.userErrors).toEqual([]);
    const claim = await read(claimId);
    expect(claim).toMatchObject({
      status: 'PAID',
      nextStep: NEXT_RECOVERING,
      recovery: { debtor: 'INSURER', status: 'OPEN', resolvedAt: null },
      defences: [
        {
          status: 'REJECTED',
          statement: defence,
          submittedByRole: 'INSURER',
          decisionReason: reason,
          decidedAt: at(DAY),
        },
      ],
    });
    expect(claim.decisions.map((entry) => [entry.kind, entry.decidedByRole])).toEqual([
      ['ROUTED_TO_SELLER', 'SYSTEM'],
      ['REJECTED_BY_INSURER', 'INSURER'],
      ['STEPPED_IN_AFTER_REVIEW', 'AGENT'],
      ['DEFENCE_REJECTED', 'AGENT'],
    ]);
    expect(stepsOf(claim).slice(-2)).toEqual([
      step('DEFENCE_SUBMITTED', 'INSURER'),
      step('DEFENCE_DECIDED', 'AGENT'),
    ]);
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '250000'),
      ...recoveryOpenedRows(claimId, '250000'),
    ]);
    await expectRefused(
      claimId,
      async () =>
        (await agent.data(DecideProductDefenceDocument, { input: { claimId, decision: 'UPHOLD', reason } }))
          .decideProductDefence,
      [claimError('NOTHING_TO_DECIDE', 'there is nothing to decide')],
    );
  });
});

describe('denials and appeals', () => {
  it('an upheld rejection denies the claim with its reason; an appeal with new evidence reopens it and the marketplace pays', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('1500.00');
    clockAt(t.clock, at(HOUR));
    await rejectAs(insurerA, claimId, REJECTION);
    clockAt(t.clock, at(2 * HOUR));
    expect((await review(claimId, 'UPHOLD_REJECTION', DENIAL)).userErrors).toEqual([]);

    const denied = await read(claimId);
    expect(denied).toMatchObject({
      status: 'DENIED',
      denialReason: DENIAL,
      nextStep: {
        summary: 'The claim was denied; the customer may appeal with new evidence.',
        party: 'CUSTOMER',
        deadline: at(2 * HOUR + 30 * DAY),
      },
      payout: null,
      recovery: null,
      decisions: [
        decision(
          'ROUTED_TO_SELLER',
          'SYSTEM',
          '1500.00 USD is at or above the concession threshold: the seller must respond',
          at(0),
        ),
        decision('REJECTED_BY_INSURER', 'INSURER', REJECTION, at(HOUR)),
        decision('REJECTION_UPHELD', 'AGENT', DENIAL, at(2 * HOUR)),
      ],
    });
    expect(stepsOf(denied)).toEqual([
      ...FILED,
      ...ASKED_SELLER_AND_INSURER,
      moved('INSURER', 'AWAITING_SELLER', 'SELLER_REJECTED'),
      moved('SYSTEM', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW'),
      moved('AGENT', 'MARKETPLACE_REVIEW', 'DENIED'),
    ]);
    expect(denied.timeline.find((event) => event.toStatus === 'SELLER_REJECTED')!.message).toBe(
      "The claim was rejected by the seller's insurer.",
    );
    expect(lastEvent(denied).message).toBe(
      'The marketplace agreed with the rejection; the claim is denied. The customer may appeal with new evidence.',
    );
    expect((await view(customerA, claimId))!.denialReason).toBe(DENIAL);

    clockAt(t.clock, at(10 * DAY));
    const statement = 'An electrician confirms the heater wiring was faulty from the factory.';
    const appealed = await appeal(customerA, claimId, statement, [newEvidence(7, 'EXPERT_REPORT')]);
    expect(appealed.userErrors).toEqual([]);
    const reopened = await read(claimId);
    expect(reopened).toMatchObject({ status: 'MARKETPLACE_REVIEW', nextStep: NEXT_REVIEW, payout: null });
    expect(reopened.decisions[3]).toEqual(decision('APPEALED', 'CUSTOMER', statement, at(10 * DAY)));
    expect(reopened.evidence).toContainEqual({
      contentHash: newEvidence(7).contentHash,
      addedByRole: 'CUSTOMER',
    });
    expect(stepsOf(reopened)).toEqual([
      ...stepsOf(denied),
      moved('CUSTOMER', 'DENIED', 'MARKETPLACE_REVIEW'),
    ]);

    clockAt(t.clock, at(11 * DAY));
    expect(
      (await review(claimId, 'STEP_IN', 'The expert report shows a manufacturing defect.')).userErrors,
    ).toEqual([]);
    const paid = await read(claimId);
    expect(paid).toMatchObject({
      status: 'PAID',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED', amount: usd('1500.00'), paidAt: at(11 * DAY) },
      recovery: { debtor: 'INSURER', status: 'OPEN', amount: usd('1500.00') },
    });
    expect(paid.decisions[4]).toEqual(
      decision(
        'STEPPED_IN_AFTER_REVIEW',
        'AGENT',
        'The expert report shows a manufacturing defect.',
        at(11 * DAY),
      ),
    );
    expect(await ledgerOf(claimId)).toEqual([
      ...payoutRows(claimId, '150000'),
      ...recoveryOpenedRows(claimId, '150000'),
    ]);
  });

  it('a denial after an appeal is final: a second appeal is refused', async () => {
    const claimId = await deniedClaim();
    clockAt(t.clock, at(DAY));
    expect(
      (await appeal(customerA, claimId, 'New photos of the wiring.', [newEvidence(1, 'PHOTO')])).userErrors,
    ).toEqual([]);
    clockAt(t.clock, at(2 * DAY));
    const again = 'The new photos show the same pre-existing damage.';
    expect((await review(claimId, 'UPHOLD_REJECTION', again)).userErrors).toEqual([]);

    const final = await read(claimId);
    expect(final).toMatchObject({
      status: 'DENIED',
      denialReason: again,
      nextStep: {
        summary: 'The claim was denied after an appeal; the denial is final.',
        party: null,
        deadline: null,
      },
    });
    expect(lastEvent(final)).toMatchObject({
      type: 'STATUS_CHANGED',
      actorRole: 'AGENT',
      fromStatus: 'MARKETPLACE_REVIEW',
      toStatus: 'DENIED',
      message: 'The marketplace denied the claim again after the appeal; this denial is final.',
    });
    expect((await view(customerA, claimId))!.availableActions).toEqual(
      actions(
        ['ADD_EVIDENCE', 'WRONG_STATUS'],
        ['WITHDRAW', 'WRONG_STATUS'],
        ['APPEAL', 'APPEAL_ALREADY_USED'],
      ),
    );
    await expectRefused(
      claimId,
      () => appeal(customerA, claimId, 'Yet more photos.', [newEvidence(2, 'PHOTO')]),
      [claimError('APPEAL_ALREADY_USED', 'the claim was already appealed; this denial is final')],
    );
  });

  it('the appeal window closes 30 days after the denial', async () => {
    const claimId = await deniedClaim();
    const deadline = 2 * HOUR + 30 * DAY;
    clockAt(t.clock, at(deadline));
    expect((await view(customerA, claimId))!.availableActions).toEqual(
      actions(['ADD_EVIDENCE', 'WRONG_STATUS'], ['WITHDRAW', 'WRONG_STATUS'], ['APPEAL', null]),
    );

    clockAt(t.clock, at(deadline + SECOND));
    const late = await view(customerA, claimId);
    expect(late!.nextStep).toEqual({
      summary: 'The claim was denied; the customer may appeal with new evidence.',
      party: 'CUSTOMER',
      deadline: at(deadline),
    });
    expect(late!.availableActions).toEqual(
      actions(
        ['ADD_EVIDENCE', 'WRONG_STATUS'],
        ['WITHDRAW', 'WRONG_STATUS'],
        ['APPEAL', 'APPEAL_WINDOW_CLOSED'],
      ),
    );
    await expectRefused(
      claimId,
      () => appeal(customerA, claimId, 'Found the receipt late.', [newEvidence(3, 'RECEIPT')]),
      [claimError('APPEAL_WINDOW_CLOSED', 'the appeal window has closed')],
    );
  });

  it('an appeal must bring evidence that is not on the claim yet', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const filing = claimInput(market.orders['ord-a1'].id, { amountClaimed: usd('1500.00') });
    const claimId = (await customerA.data(FileClaimDocument, { input: filing })).fileClaim.claim!.id;
    await t.runJobs();
    const sellerExhibit = newEvidence(40, 'DOCUMENT');
    expect(
      (
        await respond(sellerA, {
          claimId,
          response: 'REJECT',
          statement: REJECTION,
          evidence: [sellerExhibit],
        })
      ).userErrors,
    ).toEqual([]);
    expect((await review(claimId, 'UPHOLD_REJECTION', DENIAL)).userErrors).toEqual([]);

    const filed = filing.evidence![0];
    await expectRefused(claimId, () => appeal(customerA, claimId, 'Look again at my photo.', [filed]), [
      {
        field: ['input', 'evidence', '0', 'contentHash'],
        code: 'DUPLICATE_EVIDENCE',
        message: 'an appeal needs new evidence; this item is already on the claim',
      },
    ]);
    // Evidence the seller side brought is on the claim too.
    await expectRefused(
      claimId,
      () =>
        appeal(customerA, claimId, 'A new photo, and the seller’s report.', [
          newEvidence(41, 'PHOTO'),
          sellerExhibit,
        ]),
      [
        {
          field: ['input', 'evidence', '1', 'contentHash'],
          code: 'DUPLICATE_EVIDENCE',
          message: 'an appeal needs new evidence; this item is already on the claim',
        },
      ],
    );
  });

  it('an appeal without evidence is refused', async () => {
    const claimId = await deniedClaim();
    await expectRefused(claimId, () => appeal(customerA, claimId, 'The denial is wrong.', []), [
      { field: ['input', 'evidence'], code: 'REQUIRED', message: 'new evidence is required' },
    ]);
    expect((await read(claimId)).status).toBe('DENIED');
  });
});

describe('withdrawal', () => {
  it('the customer withdraws before screening; the screening job then leaves the claim alone', async () => {
    const claimId = await file(customerA, 'ord-a1', { amountClaimed: usd('300.00') });
    const reason = 'Settled with the seller directly.';
    const { claim, userErrors } = await withdraw(customerA, claimId, reason);
    expect(userErrors).toEqual([]);
    expect(claim!.status).toBe('WITHDRAWN');

    const withdrawn = await read(claimId);
    expect(withdrawn).toMatchObject({
      status: 'WITHDRAWN',
      route: null,
      nextStep: { summary: 'The customer withdrew the claim.', party: null, deadline: null },
      payout: null,
      recovery: null,
      decisions: [decision('WITHDRAWN', 'CUSTOMER', reason, at(0))],
    });
    expect(stepsOf(withdrawn)).toEqual([
      step('CLAIM_FILED', 'CUSTOMER', null, 'SUBMITTED'),
      moved('CUSTOMER', 'SUBMITTED', 'WITHDRAWN'),
    ]);

    expect(await t.runJobs()).toBe(1);
    expect(await read(claimId)).toEqual(withdrawn);
    // The job completed without acting; it did not fail into a retry.
    expect(await unfinishedJobs()).toEqual([]);
    // Never screened, so never released to the seller.
    expect(await view(sellerA, claimId)).toBeNull();
    expect(await ledgerOf(claimId)).toEqual([]);
  });

  it('a claim withdrawn while the seller is asked is left alone by the reminders and the deadline', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('5000.00');
    clockAt(t.clock, at(HOUR));
    expect((await withdraw(customerA, claimId)).userErrors).toEqual([]);
    const withdrawn = await read(claimId);
    expect(withdrawn.decisions[1]).toEqual(
      decision('WITHDRAWN', 'CUSTOMER', 'withdrawn by the customer', at(HOUR)),
    );
    expect(stepsOf(withdrawn)).toEqual([
      ...FILED,
      ...ASKED_SELLER_AND_INSURER,
      moved('CUSTOMER', 'AWAITING_SELLER', 'WITHDRAWN'),
    ]);

    for (const due of [48 * HOUR, 71 * HOUR, 72 * HOUR]) {
      clockAt(t.clock, at(due));
      expect(await t.runJobs()).toBe(1);
      expect(await read(claimId)).toEqual(withdrawn);
    }
    expect(await unfinishedJobs()).toEqual([]);
    expect(await ledgerOf(claimId)).toEqual([]);
    await expectRefused(claimId, () => respond(sellerA, { claimId, response: 'ACCEPT' }), [
      claimError('WRONG_STATUS', 'cannot move the claim from WITHDRAWN to SELLER_ACCEPTED'),
    ]);
  });

  it('a paid or closed claim cannot be withdrawn, and the refusal names both statuses', async () => {
    const paidId = await file(customerA, 'ord-a2', { amountClaimed: usd('80.00') });
    await insureSeller(t, 'sell-a', 'ins-a');
    const closedId = await file(customerA, 'ord-a1', { amountClaimed: usd('80.00') });
    expect(await t.runJobs()).toBe(2);
    expect((await read(paidId)).status).toBe('PAID');
    expect((await read(closedId)).status).toBe('CLOSED');

    await expectRefused(paidId, () => withdraw(customerA, paidId, 'Changed my mind.'), [
      claimError('WRONG_STATUS', 'cannot move the claim from PAID to WITHDRAWN'),
    ]);
    await expectRefused(closedId, () => withdraw(agent, closedId), [
      claimError('WRONG_STATUS', 'cannot move the claim from CLOSED to WITHDRAWN'),
    ]);
  });
});

describe('who may answer', () => {
  it('an insurer that did not insure the seller on the incident day neither sees the claim nor answers it', async () => {
    // ins-b's cover began after the incident (2026-06-01): the claim is not one its cover answers for.
    await recordPolicy('sell-a', 'ins-b', '2026-06-10', '2027-06-09');
    const claimId = await awaitingSeller('1800.00');
    expect(await view(insurerB, claimId)).toBeNull();
    // Nobody was insurer on the incident day, so no insurer was notified.
    expect(stepsOf(await read(claimId))).toEqual([...FILED, ...ASKED_SELLER]);

    const notFound = [claimError('CLAIM_NOT_FOUND', 'no such claim')];
    await expectRefused(
      claimId,
      () => respond(insurerB, { claimId, response: 'ACCEPT', payer: 'INSURER' }),
      notFound,
    );
    await expectRefused(
      claimId,
      () => respond(insurerB, { claimId, response: 'REJECT', statement: REJECTION }),
      notFound,
    );
    // Nor can the seller hand the bill to an insurer it did not have then.
    await expectRefused(claimId, () => respond(sellerA, { claimId, response: 'ACCEPT', payer: 'INSURER' }), [
      claimError('INSURANCE_PROOF_MISSING', 'the seller has no insurer on the incident date'),
    ]);

    clockAt(t.clock, at(72 * HOUR));
    await t.runJobs();
    expect((await read(claimId)).recovery).toMatchObject({ debtor: 'SELLER', status: 'OPEN' });
  });

  it("a seller answering another seller's claim is told there is no such claim", async () => {
    const claimId = await awaitingSeller('1200.00');
    expect(await view(sellerB, claimId)).toBeNull();
    const notFound = [claimError('CLAIM_NOT_FOUND', 'no such claim')];
    await expectRefused(claimId, () => respond(sellerB, { claimId, response: 'ACCEPT' }), notFound);
    await expectRefused(
      claimId,
      () => respond(sellerB, { claimId, response: 'REJECT', statement: REJECTION }),
      notFound,
    );
    expect((await read(claimId)).status).toBe('AWAITING_SELLER');
  });

  it('the seller may cite evidence already on the claim when rejecting it and when defending the product', async () => {
    const filing = claimInput(market.orders['ord-a1'].id, { amountClaimed: usd('1500.00') });
    const claimId = (await customerA.data(FileClaimDocument, { input: filing })).fileClaim.claim!.id;
    await t.runJobs();
    const cited = filing.evidence![0];
    const onFile = [{ contentHash: cited.contentHash, addedByRole: 'CUSTOMER' }];

    const rejected = await respond(sellerA, {
      claimId,
      response: 'REJECT',
      statement: 'The customer’s own photo shows misuse.',
      evidence: [cited],
    });
    expect(rejected.userErrors).toEqual([]);
    expect(await read(claimId)).toMatchObject({ status: 'MARKETPLACE_REVIEW', evidence: onFile });

    expect((await review(claimId, 'STEP_IN', 'The product was defective.')).userErrors).toEqual([]);
    const defended = await sellerA.data(SubmitProductDefenceDocument, {
      input: { claimId, statement: 'The photo shows misuse.', evidence: [cited] },
    });
    expect(defended.submitProductDefence.userErrors).toEqual([]);
    // The item stays on the claim once, as the customer filed it.
    expect(await read(claimId)).toMatchObject({
      status: 'PAID',
      defences: [{ status: 'SUBMITTED' }],
      evidence: onFile,
    });
  });
});

describe('available actions', () => {
  const CUSTOMER_WHILE_OPEN = actions(['ADD_EVIDENCE', null], ['WITHDRAW', null], ['APPEAL', 'WRONG_STATUS']);
  const SELLER_SIDE_ASKED = actions(
    ['ACCEPT', null],
    ['REJECT', null],
    ['RECORD_PAYMENT', 'WRONG_STATUS'],
    ['SUBMIT_DEFENCE', 'WRONG_STATUS'],
  );
  const SELLER_SIDE_DENIED = actions(
    ['ACCEPT', 'WRONG_STATUS'],
    ['REJECT', 'WRONG_STATUS'],
    ['RECORD_PAYMENT', 'WRONG_STATUS'],
    ['SUBMIT_DEFENCE', 'WRONG_STATUS'],
  );

  it('while the seller is asked to respond', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('1500.00');
    expect((await view(customerA, claimId))!.availableActions).toEqual(CUSTOMER_WHILE_OPEN);
    expect((await view(sellerA, claimId))!.availableActions).toEqual(SELLER_SIDE_ASKED);
    expect((await view(insurerA, claimId))!.availableActions).toEqual(SELLER_SIDE_ASKED);
    expect((await read(claimId)).availableActions).toEqual(
      actions(
        ['ADD_EVIDENCE', null],
        ['WITHDRAW', null],
        ['APPEAL', 'WRONG_STATUS'],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['STEP_IN', 'WRONG_STATUS'],
        ['UPHOLD_REJECTION', 'WRONG_STATUS'],
        ['DECIDE_DEFENCE', 'NOTHING_TO_DECIDE'],
        ['RECORD_RECOVERY_PAYMENT', 'NO_OPEN_RECOVERY'],
      ),
    );
  });

  it('after a denial', async () => {
    const claimId = await deniedClaim();
    expect((await view(customerA, claimId))!.availableActions).toEqual(
      actions(['ADD_EVIDENCE', 'WRONG_STATUS'], ['WITHDRAW', 'WRONG_STATUS'], ['APPEAL', null]),
    );
    expect((await view(sellerA, claimId))!.availableActions).toEqual(SELLER_SIDE_DENIED);
    expect((await view(insurerA, claimId))!.availableActions).toEqual(SELLER_SIDE_DENIED);
    expect((await read(claimId)).availableActions).toEqual(
      actions(
        ['ADD_EVIDENCE', 'WRONG_STATUS'],
        ['WITHDRAW', 'WRONG_STATUS'],
        ['APPEAL', null],
        ['RECORD_PAYMENT', 'WRONG_STATUS'],
        ['STEP_IN', 'WRONG_STATUS'],
        ['UPHOLD_REJECTION', 'WRONG_STATUS'],
        ['DECIDE_DEFENCE', 'NOTHING_TO_DECIDE'],
        ['RECORD_RECOVERY_PAYMENT', 'NO_OPEN_RECOVERY'],
      ),
    );
  });
});

describe('refused commands', () => {
  it('write nothing: no claim change, event, decision, payout, recovery, job, idempotency record or ledger row', async () => {
    await insureSeller(t, 'sell-a', 'ins-a');
    const claimId = await awaitingSeller('3000.00');
    const reviewKey = key();

    await expectRefused(claimId, () => review(claimId, 'STEP_IN', 'Pay now.', reviewKey), [
      claimError('WRONG_STATUS', 'cannot move the claim from AWAITING_SELLER to STEPPED_IN'),
    ]);
    await expectRefused(claimId, () => review(claimId, 'UPHOLD_REJECTION', 'Deny now.'), [
      claimError('WRONG_STATUS', 'cannot move the claim from AWAITING_SELLER to DENIED'),
    ]);
    await expectRefused(
      claimId,
      async () =>
        (
          await agent.data(RecordClaimPaymentDocument, {
            input: { claimId, reference: 'PAY-1', idempotencyKey: key() },
          })
        ).recordClaimPayment,
      [claimError('WRONG_STATUS', 'not possible while the claim is AWAITING_SELLER')],
    );
    await expectRefused(
      claimId,
      async () =>
        (
          await agent.data(RecordRecoveryPaymentDocument, {
            input: { claimId, reference: 'WIRE-1', idempotencyKey: key() },
          })
        ).recordRecoveryPayment,
      [claimError('NO_OPEN_RECOVERY', 'the claim has no open recovery')],
    );
    await expectRefused(
      claimId,
      async () =>
        (
          await agent.data(DecideProductDefenceDocument, {
            input: { claimId, decision: 'UPHOLD', reason: 'Fine.' },
          })
        ).decideProductDefence,
      [claimError('NOTHING_TO_DECIDE', 'there is nothing to decide')],
    );
    // A defence answers a payment by the marketplace; none was made.
    await expectRefused(
      claimId,
      async () =>
        (
          await sellerA.data(SubmitProductDefenceDocument, {
            input: { claimId, statement: 'Not defective.' },
          })
        ).submitProductDefence,
      [claimError('WRONG_STATUS', 'not possible while the claim is AWAITING_SELLER')],
    );
    await expectRefused(claimId, () => appeal(customerA, claimId, 'Please pay.', [newEvidence(9)]), [
      claimError('WRONG_STATUS', 'cannot move the claim from AWAITING_SELLER to MARKETPLACE_REVIEW'),
    ]);
    await expectRefused(
      claimId,
      () => respond(sellerA, { claimId, response: 'ACCEPT', payer: 'MARKETPLACE' }),
      [
        {
          field: ['input', 'payer'],
          code: 'INVALID_FORMAT',
          message: 'the payer is the seller or its insurer',
        },
      ],
    );
    await expectRefused(claimId, () => respond(sellerA, { claimId, response: 'REJECT', statement: '  ' }), [
      { field: ['input', 'statement'], code: 'REQUIRED', message: 'statement must not be empty' },
    ]);
    expect(await ledgerOf(claimId)).toEqual([]);

    // The refused review left no idempotency record behind: its key still works once the claim allows it.
    await rejectAs(sellerA, claimId, REJECTION);
    const stepIn = await review(claimId, 'STEP_IN', 'The product was defective.', reviewKey);
    expect(stepIn.userErrors).toEqual([]);
    expect(stepIn.claim!.status).toBe('PAID');
  });
});
