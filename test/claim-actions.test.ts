import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { InsurancePolicy, PolicyVerificationStatus } from '../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { Seller } from '../src/entities/seller.entity';
import { localIdOf } from '../src/graphql/global-id';
import { buildClaimgraphSchema } from '../src/server/schema';
import { ClaimAction, CLAIM_ACTIONS } from '../src/services/claims/claim-actions';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import type { ClaimStatus } from './__generated__/graphql';
import {
  claimInput,
  claimTableCounts,
  COMPLIANT_TERMS,
  insureSeller,
  seedMarketplace,
} from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { usd } from './support/money';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * `availableActions` and the commands, cell by cell: every claim action, for every viewer, on a
 * claim in each status the workflow reaches. Both answer from the claim action table
 * (CLAIM_ACTIONS), so they must agree:
 * - an action a viewer's role may not take is neither listed nor let through (top-level FORBIDDEN);
 * - a listed, disabled action is refused with the userError code of its reason, writing nothing;
 * - a listed, enabled action is taken (on a fresh claim in the same status, so that no cell
 *   depends on another);
 * - a viewer that cannot read the claim cannot act on it either: CLAIM_NOT_FOUND, writing nothing.
 * Beside that agreement, each status states from the product rules who reads the claim and which
 * actions are enabled for whom.
 *
 * One server for the file. The clock never moves, so no deadline, reminder or grace period
 * fires: every job a cell's claim-building runs is the screening of claims filed at that moment.
 */

// ---------------------------------------------------------------------------------------------
// Viewers

type ViewerName =
  'CUSTOMER' | 'SELLER' | 'INSURER' | 'OTHER_INSURER' | 'AGENT' | 'FRAUD_EXPERT' | 'ANONYMOUS';

const VIEWERS: readonly ViewerName[] = [
  'CUSTOMER',
  'SELLER',
  'INSURER',
  'OTHER_INSURER',
  'AGENT',
  'FRAUD_EXPERT',
  'ANONYMOUS',
];

const ROLE_OF: Record<ViewerName, Role | null> = {
  CUSTOMER: Role.CUSTOMER,
  SELLER: Role.SELLER,
  INSURER: Role.INSURER,
  OTHER_INSURER: Role.INSURER,
  AGENT: Role.AGENT,
  FRAUD_EXPERT: Role.FRAUD_EXPERT,
  ANONYMOUS: null,
};

/**
 * The parties: cust-a files every claim. sell-a is insured by ins-a over the incident day
 * (2026-06-01); sell-b had no insurer that day. ins-b insures both sellers only from 2026-06-10:
 * an insurer of the seller, but not the claim's. expert-1 picks every referred claim.
 */
const INCIDENT_INSURER = 'ins-a';
const LATER_INSURER = 'ins-b';
type SellerRef = 'sell-a' | 'sell-b';

let t: TestServer;
let agent: GraphQLClient;
let customer: GraphQLClient;
let sellers: Record<SellerRef, GraphQLClient>;
let insurer: GraphQLClient;
let otherInsurer: GraphQLClient;
let expert: GraphQLClient;
let anonymous: GraphQLClient;

function clientOf(viewer: ViewerName, sellerRef: SellerRef): GraphQLClient {
  switch (viewer) {
    case 'CUSTOMER':
      return customer;
    case 'SELLER':
      return sellers[sellerRef];
    case 'INSURER':
      return insurer;
    case 'OTHER_INSURER':
      return otherInsurer;
    case 'AGENT':
      return agent;
    case 'FRAUD_EXPERT':
      return expert;
    case 'ANONYMOUS':
      return anonymous;
  }
}

/** Screening that refers a claim exactly when its order was not delivered: the test picks referrals. */
function referOnlyUndelivered(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+claim-actions`;
  policy.referAt = 30;
  policy.highPriorityAt = 60;
  policy.filedBeforeDelivery.weight = 35;
}

/** A verified policy of `sellerRef` from `insurerRef` that starts after the incident day. */
async function insureFromJune10(sellerRef: SellerRef, insurerRef: string): Promise<void> {
  const em = t.orm.em.fork();
  const provider =
    (await em.findOne(InsuranceProvider, { externalRef: insurerRef })) ??
    em.create(InsuranceProvider, { externalRef: insurerRef, name: `Insurer ${insurerRef}` });
  em.create(InsurancePolicy, {
    seller: await em.findOneOrFail(Seller, { externalRef: sellerRef }),
    provider,
    policyNumber: `POL-${sellerRef}-${insurerRef}-2026-06-10`,
    effectiveFrom: '2026-06-10',
    effectiveTo: '2027-06-09',
    verificationStatus: PolicyVerificationStatus.VERIFIED,
    ...COMPLIANT_TERMS,
  });
  await em.flush();
}

beforeAll(async () => {
  t = await startTestServer({ SCREENING_POLICY_FILE: screeningPolicyFile(referOnlyUndelivered) });
  await seedMarketplace(t);
  await insureSeller(t, 'sell-a', INCIDENT_INSURER);
  await insureFromJune10('sell-a', LATER_INSURER);
  await insureFromJune10('sell-b', LATER_INSURER);
  agent = await t.as(Role.AGENT, 'agent-actions');
  customer = await t.as(Role.CUSTOMER, 'cust-a');
  sellers = { 'sell-a': await t.as(Role.SELLER, 'sell-a'), 'sell-b': await t.as(Role.SELLER, 'sell-b') };
  insurer = await t.as(Role.INSURER, INCIDENT_INSURER);
  otherInsurer = await t.as(Role.INSURER, LATER_INSURER);
  expert = await t.as(Role.FRAUD_EXPERT, 'expert-1');
  anonymous = t.anonymous();
});

afterAll(async () => {
  if (!t) return;
  try {
    expect(await t.ledgerBreaches()).toEqual([]);
  } finally {
    await t.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// Reading claims

interface AvailableAction {
  action: ClaimAction;
  enabled: boolean;
  reason: string | null;
}

interface ClaimState {
  status: ClaimStatus;
  fraudReview: { id: string } | null;
  recovery: { status: string } | null;
  defences: { status: string }[];
}

/** The claim as an agent reads it: everything a command could change. */
const CLAIM_STATE = `query ($id: ID!) {
  claim(id: $id) {
    id status route respondBy denialReason
    nextStep { summary party deadline }
    payout { payer status reference paidAt }
    recovery { debtor status graceEndsAt resolvedAt }
    defences { status statement decisionReason decidedAt }
    decisions { kind decidedByRole reason decidedAt }
    timeline { sequence type actorRole fromStatus toStatus message }
    evidence { contentHash addedByRole }
    fraudReview { id status finding rationale assignedAt decidedAt }
    availableActions { action enabled reason }
  }
}`;

const VIEWER_READ = `query ($id: ID!) { claim(id: $id) { id availableActions { action enabled reason } } }`;

function codesOf(response: GraphQLResponse<never>): string[] {
  return (response.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
}

async function agentState(claimId: string): Promise<ClaimState & Record<string, unknown>> {
  const response = await agent.post({ query: CLAIM_STATE, variables: { id: claimId } });
  expect(codesOf(response)).toEqual([]);
  const { claim } = response.data as unknown as { claim: ClaimState & Record<string, unknown> };
  expect(claim).not.toBeNull();
  return claim;
}

/** What `client` reads of the claim: its top-level error codes, and its actions when it sees the claim. */
async function readAs(
  client: GraphQLClient,
  claimId: string,
): Promise<{ errors: string[]; actions: AvailableAction[] | null }> {
  const response = await client.post({ query: VIEWER_READ, variables: { id: claimId } });
  const data = response.data as unknown as { claim: { availableActions: AvailableAction[] } | null } | null;
  return { errors: codesOf(response), actions: data?.claim?.availableActions ?? null };
}

type DbInteger = string | number | bigint;

/** Tables a claim command can write to beyond those a filing writes. */
const WORKFLOW_TABLES = [
  'claim_decision',
  'claim_screening',
  'fraud_review',
  'payout',
  'recovery',
  'product_defence',
  'scheduled_job',
  'ledger_transfer',
  'ledger_entry',
  'sensitive_data_access',
] as const;

/** What a command writes, as stored: the claim's version and the row count of every table. */
async function stored(claimId: string) {
  const counts = await claimTableCounts(t);
  const [row]: Record<string, DbInteger>[] = await t.orm.em
    .getConnection()
    .execute(
      `select ${WORKFLOW_TABLES.map((table) => `(select count(*) from ${table}) as ${table}`).join(', ')}`,
    );
  for (const table of WORKFLOW_TABLES) counts[table] = Number(row[table]);
  return { version: await versionOf(claimId), counts };
}

/** Everything a refused command could have changed: what is stored, and the claim as an agent reads it. */
async function snapshot(claimId: string) {
  return { stored: await stored(claimId), claim: await agentState(claimId) };
}

async function versionOf(claimId: string): Promise<number> {
  const [row]: { version: DbInteger }[] = await t.orm.em
    .getConnection()
    .execute('select version from claim where id = ?', [localIdOf(claimId, 'Claim')]);
  return Number(row.version);
}

// ---------------------------------------------------------------------------------------------
// Taking actions

let serial = 0;
function unique(prefix: string): string {
  serial += 1;
  return `${prefix}-${process.pid}-${serial}`;
}

/** Evidence no claim holds yet, as a new document would be. */
function freshEvidence() {
  const id = unique('exhibit');
  return {
    kind: 'DOCUMENT',
    description: 'A new exhibit',
    contentHash: `sha256:${createHash('sha256').update(id).digest('hex')}`,
    uri: `https://files.example.com/${id}.pdf`,
  };
}

const REJECTION = 'The heater passed every safety test; the damage came from misuse.';

/** A valid input for each action: fresh keys and evidence, the statements it requires. */
const INPUTS: Record<ClaimAction, (claimId: string) => Record<string, unknown>> = {
  [ClaimAction.ADD_EVIDENCE]: (claimId) => ({ claimId, evidence: [freshEvidence()] }),
  [ClaimAction.WITHDRAW]: (claimId) => ({ claimId, reason: 'Settled with the seller directly.' }),
  [ClaimAction.APPEAL]: (claimId) => ({
    claimId,
    statement: 'An electrician confirms the wiring was faulty from the factory.',
    evidence: [freshEvidence()],
  }),
  [ClaimAction.ACCEPT]: (claimId) => ({ claimId, response: 'ACCEPT', statement: 'We accept the claim.' }),
  [ClaimAction.REJECT]: (claimId) => ({ claimId, response: 'REJECT', statement: REJECTION }),
  [ClaimAction.RECORD_PAYMENT]: (claimId) => ({
    claimId,
    reference: unique('PAY'),
    idempotencyKey: unique('payment'),
  }),
  [ClaimAction.STEP_IN]: (claimId) => ({
    claimId,
    decision: 'STEP_IN',
    reason: 'The photos show a melted thermostat.',
    idempotencyKey: unique('review'),
  }),
  [ClaimAction.UPHOLD_REJECTION]: (claimId) => ({
    claimId,
    decision: 'UPHOLD_REJECTION',
    reason: 'The photos show damage that predates the purchase.',
    idempotencyKey: unique('review'),
  }),
  [ClaimAction.SUBMIT_DEFENCE]: (claimId) => ({
    claimId,
    statement: 'An independent laboratory found no defect in the returned unit.',
    evidence: [freshEvidence()],
  }),
  [ClaimAction.DECIDE_DEFENCE]: (claimId) => ({
    claimId,
    decision: 'UPHOLD',
    reason: 'The laboratory report is convincing.',
  }),
  [ClaimAction.RECORD_RECOVERY_PAYMENT]: (claimId) => ({
    claimId,
    reference: unique('WIRE'),
    idempotencyKey: unique('recovery'),
  }),
  [ClaimAction.SUBMIT_FRAUD_FINDING]: (claimId) => ({
    claimId,
    finding: 'UNSUBSTANTIATED',
    rationale: 'The evidence does not show a defect.',
    idempotencyKey: unique('finding'),
  }),
};

const ALL_ACTIONS = Object.values(ClaimAction);

interface Answer {
  /** Top-level error codes. */
  errors: string[];
  /** The payload's userError codes; null without a payload. */
  userErrors: string[] | null;
  claim: { id: string; status: string } | null;
}

function inputTypeOf(mutation: string): string {
  return `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
}

function mutationDocument(mutation: string, selection: string): string {
  return `mutation ($input: ${inputTypeOf(mutation)}!) { ${mutation}(input: $input) { ${selection} userErrors { field code message } } }`;
}

/** Sends the mutation that takes `action` (as CLAIM_ACTIONS names it), with a valid input. */
async function take(client: GraphQLClient, action: ClaimAction, claimId: string): Promise<Answer> {
  const { mutation } = CLAIM_ACTIONS[action];
  const response = await client.post({
    query: mutationDocument(mutation, 'claim { id status }'),
    variables: { input: INPUTS[action](claimId) },
  });
  const payload = (response.data as unknown as Record<string, unknown> | null)?.[mutation] as
    { claim: Answer['claim']; userErrors: { code: string }[] } | null | undefined;
  return {
    errors: codesOf(response),
    userErrors: payload ? payload.userErrors.map((error) => error.code) : null,
    claim: payload?.claim ?? null,
  };
}

/** The actions `role` may take, by the table: the ones availableActions must list, enabled or not. */
function actionsOfRole(role: Role): string[] {
  return ALL_ACTIONS.filter((action) => CLAIM_ACTIONS[action].roles.includes(role)).sort();
}

// ---------------------------------------------------------------------------------------------
// Claims in each status

/**
 * Runs a mutation that must succeed and returns its payload, selecting only `selection`: building
 * claims is not what the file checks, and reading whole claims at every step would be most of its
 * run time.
 */
async function succeed<T>(
  client: GraphQLClient,
  mutation: string,
  input: object,
  selection = 'claim { id status }',
): Promise<T> {
  const response = await client.post({
    query: mutationDocument(mutation, selection),
    variables: { input },
  });
  expect(codesOf(response), mutation).toEqual([]);
  const payload = (response.data as unknown as Record<string, { userErrors: unknown[] }>)[mutation];
  expect(payload.userErrors, mutation).toEqual([]);
  return payload as T;
}

/** Takes a step of the workflow that must move the claim to `status`. */
async function step(
  client: GraphQLClient,
  mutation: string,
  input: { claimId: string } & Record<string, unknown>,
  status: ClaimStatus,
): Promise<string> {
  const { claim } = await succeed<{ claim: { status: string } }>(client, mutation, input);
  expect(claim.status, mutation).toBe(status);
  return input.claimId;
}

let orders = 0;

/** An order of cust-a from `sellerRef`; an undelivered one is referred to an expert when claimed. */
async function newOrder(sellerRef: SellerRef, delivered: boolean): Promise<string> {
  orders += 1;
  const { order } = await succeed<{ order: { id: string } }>(
    agent,
    'recordOrder',
    {
      externalRef: `ord-actions-${orders}`,
      customerRef: 'cust-a',
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: usd('89.99'),
      purchasedAt: '2026-05-01T10:00:00.000Z',
      ...(delivered ? { deliveredAt: '2026-05-04T15:00:00.000Z' } : {}),
    },
    'order { id }',
  );
  return order.id;
}

/** Files a claim of `amount` (below 1,000.00 a concession, at or above the seller's to answer). */
async function file(sellerRef: SellerRef, amount: string, delivered = true): Promise<string> {
  const orderId = await newOrder(sellerRef, delivered);
  const { claim } = await succeed<{ claim: { id: string } }>(
    customer,
    'fileClaim',
    claimInput(orderId, { amountClaimed: usd(amount) }),
    'claim { id }',
  );
  return claim.id;
}

/** What building a claim needs to know of it after the jobs ran. */
const BUILD_STATE = `query ($id: ID!) {
  claim(id: $id) { status fraudReview { id } recovery { status } defences { status } }
}`;

async function expectStatus(claimId: string, status: ClaimStatus): Promise<ClaimState> {
  const response = await agent.post({ query: BUILD_STATE, variables: { id: claimId } });
  expect(codesOf(response)).toEqual([]);
  const { claim } = response.data as unknown as { claim: ClaimState };
  expect(claim.status).toBe(status);
  return claim;
}

/** Files a claim and runs the jobs: screening passes it, and routing decides by `amount`. */
async function screened(sellerRef: SellerRef, amount: string, status: ClaimStatus): Promise<string> {
  const claimId = await file(sellerRef, amount);
  await t.runJobs();
  await expectStatus(claimId, status);
  return claimId;
}

async function inExpertReview(): Promise<string> {
  const claimId = await file('sell-a', '1500.00', false);
  await t.runJobs();
  const { fraudReview } = await expectStatus(claimId, 'EXPERT_REVIEW');
  await succeed(expert, 'pickFraudReview', { reviewId: fraudReview!.id }, 'review { id }');
  return claimId;
}

async function deniedByExpert(): Promise<string> {
  const claimId = await inExpertReview();
  return step(
    expert,
    'submitFraudReview',
    { claimId, finding: 'UNSUBSTANTIATED', rationale: 'The photos do not show the product.' },
    'DENIED',
  );
}

const awaitingSeller = () => screened('sell-a', '1500.00', 'AWAITING_SELLER');

async function acceptedBy(payer: 'INSURER' | 'SELLER'): Promise<string> {
  const claimId = await awaitingSeller();
  const responder = payer === 'INSURER' ? insurer : sellers['sell-a'];
  return step(responder, 'respondToClaim', { claimId, response: 'ACCEPT', payer }, 'SELLER_ACCEPTED');
}

async function inMarketplaceReview(): Promise<string> {
  const claimId = await awaitingSeller();
  return step(
    sellers['sell-a'],
    'respondToClaim',
    { claimId, response: 'REJECT', statement: REJECTION },
    'MARKETPLACE_REVIEW',
  );
}

function reviewed(claimId: string, decision: 'STEP_IN' | 'UPHOLD_REJECTION', status: ClaimStatus) {
  return step(
    agent,
    'reviewClaim',
    { claimId, decision, reason: 'Reviewed by the marketplace.', idempotencyKey: unique('review') },
    status,
  );
}

async function deniedAfterRejection(): Promise<string> {
  return reviewed(await inMarketplaceReview(), 'UPHOLD_REJECTION', 'DENIED');
}

async function deniedAfterAppeal(): Promise<string> {
  const claimId = await deniedAfterRejection();
  await step(
    customer,
    'appealClaim',
    { claimId, statement: 'New photos of the wiring.', evidence: [freshEvidence()] },
    'MARKETPLACE_REVIEW',
  );
  return reviewed(claimId, 'UPHOLD_REJECTION', 'DENIED');
}

async function paidRecoveryOpen(): Promise<string> {
  const claimId = await reviewed(await inMarketplaceReview(), 'STEP_IN', 'PAID');
  expect((await expectStatus(claimId, 'PAID')).recovery).toMatchObject({ status: 'OPEN' });
  return claimId;
}

async function paidDefenceAwaitingDecision(): Promise<string> {
  const claimId = await paidRecoveryOpen();
  await step(
    sellers['sell-a'],
    'submitProductDefence',
    { claimId, statement: 'The customer misused the heater.' },
    'PAID',
  );
  expect((await expectStatus(claimId, 'PAID')).defences).toMatchObject([{ status: 'SUBMITTED' }]);
  return claimId;
}

async function paidAwaitingProof(): Promise<string> {
  const claimId = await file('sell-b', '250.00');
  await t.runJobs();
  expect((await expectStatus(claimId, 'PAID')).recovery).toMatchObject({ status: 'AWAITING_PROOF' });
  return claimId;
}

async function withdrawnWhileAsked(): Promise<string> {
  return step(customer, 'withdrawClaim', { claimId: await awaitingSeller() }, 'WITHDRAWN');
}

interface StatusCase {
  name: string;
  status: ClaimStatus;
  sellerRef: SellerRef;
  /** A new claim in this status, through the API. */
  build: () => Promise<string>;
  /** The viewers for which claim(id) is not null, by the visibility rules. */
  readers: readonly ViewerName[];
  /** The actions enabled for each reader, by the product rules; every other listed action is disabled. */
  enabled: Partial<Record<ViewerName, readonly ClaimAction[]>>;
}

const {
  ADD_EVIDENCE,
  WITHDRAW,
  APPEAL,
  ACCEPT,
  REJECT,
  RECORD_PAYMENT,
  STEP_IN,
  UPHOLD_REJECTION,
  SUBMIT_DEFENCE,
  DECIDE_DEFENCE,
  RECORD_RECOVERY_PAYMENT,
  SUBMIT_FRAUD_FINDING,
} = ClaimAction;

/** Released to the seller side: the claimant, the seller, its insurer on the incident day, agents. */
const RELEASED: readonly ViewerName[] = ['CUSTOMER', 'SELLER', 'INSURER', 'AGENT'];

const CASES: readonly StatusCase[] = [
  {
    name: 'SUBMITTED (filed, not screened)',
    status: 'SUBMITTED',
    sellerRef: 'sell-a',
    build: () => file('sell-a', '1500.00'),
    // The seller side hears of a claim only once it passed screening.
    readers: ['CUSTOMER', 'AGENT'],
    enabled: { CUSTOMER: [ADD_EVIDENCE, WITHDRAW], AGENT: [ADD_EVIDENCE, WITHDRAW] },
  },
  {
    name: 'EXPERT_REVIEW (picked by the expert)',
    status: 'EXPERT_REVIEW',
    sellerRef: 'sell-a',
    build: inExpertReview,
    readers: ['CUSTOMER', 'AGENT', 'FRAUD_EXPERT'],
    enabled: {
      CUSTOMER: [ADD_EVIDENCE, WITHDRAW],
      AGENT: [ADD_EVIDENCE, WITHDRAW],
      FRAUD_EXPERT: [SUBMIT_FRAUD_FINDING],
    },
  },
  {
    name: 'DENIED by the expert',
    status: 'DENIED',
    sellerRef: 'sell-a',
    build: deniedByExpert,
    // Never released: the seller side does not know of it; the expert keeps reading what it decided.
    readers: ['CUSTOMER', 'AGENT', 'FRAUD_EXPERT'],
    enabled: { CUSTOMER: [APPEAL], AGENT: [APPEAL], FRAUD_EXPERT: [] },
  },
  {
    name: 'DENIED (rejection upheld)',
    status: 'DENIED',
    sellerRef: 'sell-a',
    build: deniedAfterRejection,
    readers: RELEASED,
    enabled: { CUSTOMER: [APPEAL], SELLER: [], INSURER: [], AGENT: [APPEAL] },
  },
  {
    name: 'DENIED again after the appeal',
    status: 'DENIED',
    sellerRef: 'sell-a',
    build: deniedAfterAppeal,
    readers: RELEASED,
    enabled: { CUSTOMER: [], SELLER: [], INSURER: [], AGENT: [] },
  },
  {
    name: 'AWAITING_SELLER',
    status: 'AWAITING_SELLER',
    sellerRef: 'sell-a',
    build: awaitingSeller,
    readers: RELEASED,
    enabled: {
      CUSTOMER: [ADD_EVIDENCE, WITHDRAW],
      SELLER: [ACCEPT, REJECT],
      INSURER: [ACCEPT, REJECT],
      AGENT: [ADD_EVIDENCE, WITHDRAW],
    },
  },
  {
    name: 'SELLER_ACCEPTED (the insurer pays)',
    status: 'SELLER_ACCEPTED',
    sellerRef: 'sell-a',
    build: () => acceptedBy('INSURER'),
    readers: RELEASED,
    // Only the payer (or an agent) confirms the payment.
    enabled: {
      CUSTOMER: [ADD_EVIDENCE],
      SELLER: [],
      INSURER: [RECORD_PAYMENT],
      AGENT: [ADD_EVIDENCE, RECORD_PAYMENT],
    },
  },
  {
    name: 'SELLER_ACCEPTED (the seller pays)',
    status: 'SELLER_ACCEPTED',
    sellerRef: 'sell-a',
    build: () => acceptedBy('SELLER'),
    readers: RELEASED,
    enabled: {
      CUSTOMER: [ADD_EVIDENCE],
      SELLER: [RECORD_PAYMENT],
      INSURER: [],
      AGENT: [ADD_EVIDENCE, RECORD_PAYMENT],
    },
  },
  {
    name: 'MARKETPLACE_REVIEW (rejected by the seller)',
    status: 'MARKETPLACE_REVIEW',
    sellerRef: 'sell-a',
    build: inMarketplaceReview,
    readers: RELEASED,
    enabled: {
      CUSTOMER: [ADD_EVIDENCE, WITHDRAW],
      SELLER: [],
      INSURER: [],
      AGENT: [ADD_EVIDENCE, WITHDRAW, STEP_IN, UPHOLD_REJECTION],
    },
  },
  {
    name: 'PAID after a step-in, recovery open',
    status: 'PAID',
    sellerRef: 'sell-a',
    build: paidRecoveryOpen,
    readers: RELEASED,
    enabled: {
      CUSTOMER: [],
      SELLER: [SUBMIT_DEFENCE],
      INSURER: [SUBMIT_DEFENCE],
      AGENT: [RECORD_RECOVERY_PAYMENT],
    },
  },
  {
    name: 'PAID after a step-in, a defence awaiting a decision',
    status: 'PAID',
    sellerRef: 'sell-a',
    build: paidDefenceAwaitingDecision,
    readers: RELEASED,
    enabled: { CUSTOMER: [], SELLER: [], INSURER: [], AGENT: [DECIDE_DEFENCE, RECORD_RECOVERY_PAYMENT] },
  },
  {
    name: 'PAID as a concession to an uninsured seller, awaiting proof of insurance',
    status: 'PAID',
    sellerRef: 'sell-b',
    build: paidAwaitingProof,
    // sell-b had no insurer on the incident day: ins-a (sell-a's insurer) is a stranger to the claim.
    readers: ['CUSTOMER', 'SELLER', 'AGENT'],
    enabled: { CUSTOMER: [], SELLER: [SUBMIT_DEFENCE], AGENT: [] },
  },
  {
    name: 'CLOSED (a concession to an insured seller)',
    status: 'CLOSED',
    sellerRef: 'sell-a',
    build: () => screened('sell-a', '250.00', 'CLOSED'),
    readers: RELEASED,
    // The marketplace paid: the seller side may still defend the product.
    enabled: { CUSTOMER: [], SELLER: [SUBMIT_DEFENCE], INSURER: [SUBMIT_DEFENCE], AGENT: [] },
  },
  {
    name: 'WITHDRAWN while the seller was asked',
    status: 'WITHDRAWN',
    sellerRef: 'sell-a',
    build: withdrawnWhileAsked,
    readers: RELEASED,
    enabled: { CUSTOMER: [], SELLER: [], INSURER: [], AGENT: [] },
  },
];

/** One claim per case for the refusals, built when its first cell runs. */
const baseClaims = new Map<StatusCase, Promise<string>>();
function baseClaimOf(status: StatusCase): Promise<string> {
  let claim = baseClaims.get(status);
  if (!claim) {
    claim = status.build();
    baseClaims.set(status, claim);
  }
  return claim;
}

// ---------------------------------------------------------------------------------------------
// The cells

/** Refusals that say the caller was not let in, which an enabled action must never get. */
const PARTY_REFUSALS = ['NOT_A_PARTY', 'NOT_THE_PAYER', 'CLAIM_NOT_FOUND'];

/**
 * Every action of one viewer on a claim of one case. First the refusals, on the case's claim,
 * each checked to write nothing; then each enabled action, on a new claim in the same status.
 */
async function checkCells(status: StatusCase, viewer: ViewerName): Promise<void> {
  const claimId = await baseClaimOf(status);
  const before = await snapshot(claimId);
  expect(before.claim.status, 'the claim is still in its status').toBe(status.status);
  const client = clientOf(viewer, status.sellerRef);
  const role = ROLE_OF[viewer];
  const read = await readAs(client, claimId);

  expect.soft(read.errors, 'reading the claim').toEqual(role ? [] : ['UNAUTHENTICATED']);
  expect
    .soft(read.actions !== null, 'whether the viewer reads the claim')
    .toBe(status.readers.includes(viewer));
  if (role && read.actions) {
    expect
      .soft(read.actions.map((entry) => entry.action).sort(), 'the actions listed')
      .toEqual(actionsOfRole(role));
    expect
      .soft(
        read.actions
          .filter((entry) => entry.enabled)
          .map((entry) => entry.action)
          .sort(),
        'the actions enabled',
      )
      .toEqual([...(status.enabled[viewer] ?? [])].sort());
  }

  // What each action must come to: turned away at the top level, refused with a userError, or taken.
  const deniedAtTop = new Map<ClaimAction, string>();
  const refused = new Map<ClaimAction, string>();
  const toTake: ClaimAction[] = [];
  for (const action of ALL_ACTIONS) {
    if (!role) deniedAtTop.set(action, 'UNAUTHENTICATED');
    else if (!CLAIM_ACTIONS[action].roles.includes(role)) deniedAtTop.set(action, 'FORBIDDEN');
    else if (!read.actions) refused.set(action, 'CLAIM_NOT_FOUND');
    else {
      const entry = read.actions.find((listed) => listed.action === action);
      // A missing entry fails the listing above; an enabled one is taken below.
      if (entry?.enabled) toTake.push(action);
      // The core of the file: the command refuses for exactly the reason availableActions gave.
      else if (entry) refused.set(action, entry.reason ?? 'NO_REASON');
    }
  }

  const cellOf = (action: ClaimAction) =>
    `${status.name} × ${viewer} × ${action} (${CLAIM_ACTIONS[action].mutation})`;
  // Turned away before any command runs, these cannot conflict with each other: sent at once.
  const answers = await Promise.all(
    [...deniedAtTop].map(async ([action, code]) => ({
      action,
      code,
      answer: await take(client, action, claimId),
    })),
  );
  for (const { action, code, answer } of answers) {
    expect.soft(answer, cellOf(action)).toEqual({ errors: [code], userErrors: null, claim: null });
  }
  expect
    .soft(await stored(claimId), `${status.name} × ${viewer}: the top-level refusals wrote nothing`)
    .toEqual(before.stored);
  for (const [action, code] of refused) {
    const answer = await take(client, action, claimId);
    expect.soft(answer, cellOf(action)).toEqual({ errors: [], userErrors: [code], claim: null });
    // Every change to a claim bumps its version: the stored rows tell which refusal wrote.
    expect.soft(await stored(claimId), `${cellOf(action)}: the refusal wrote nothing`).toEqual(before.stored);
  }
  expect(await snapshot(claimId), 'the claim after the refusals').toEqual(before);

  for (const action of toTake) {
    const cell = `${cellOf(action)}, enabled`;
    const fresh = await status.build();
    const again = await readAs(client, fresh);
    expect
      .soft(
        again.actions?.find((entry) => entry.action === action),
        `${cell}: enabled on a new claim in the same status too`,
      )
      .toEqual({ action, enabled: true, reason: null });
    const version = await versionOf(fresh);
    const answer = await take(client, action, fresh);
    expect.soft(answer.errors, `${cell}: no top-level error`).toEqual([]);
    expect
      .soft(
        (answer.userErrors ?? []).filter((code) => PARTY_REFUSALS.includes(code)),
        `${cell}: not refused for role or party`,
      )
      .toEqual([]);
    expect.soft(answer.userErrors, `${cell}: taken`).toEqual([]);
    expect.soft(answer.claim?.id, `${cell}: returns the claim`).toBe(fresh);
    expect.soft(await versionOf(fresh), `${cell}: changed the claim`).toBeGreaterThan(version);
  }
}

describe('the action table', () => {
  it('names, for every action, a mutation of the schema taking one input named after it', async () => {
    const fields = (await buildClaimgraphSchema()).getMutationType()!.getFields();
    for (const action of ALL_ACTIONS) {
      const { mutation } = CLAIM_ACTIONS[action];
      expect(
        fields[mutation]?.args.map((arg) => `${arg.name}: ${String(arg.type)}`),
        action,
      ).toEqual([`input: ${inputTypeOf(mutation)}!`]);
    }
  });
});

describe.each(CASES)('$name', (status) => {
  it.each(VIEWERS)('as %s: availableActions and the commands agree', (viewer) => checkCells(status, viewer));
});
