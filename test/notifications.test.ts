import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { InsurancePolicy, PolicyVerificationStatus } from '../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { Seller } from '../src/entities/seller.entity';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import {
  AddInsuranceProviderDocument,
  type AddInsuranceProviderInput,
  AppealClaimDocument,
  DecideProductDefenceDocument,
  type EvidenceInput,
  FileClaimDocument,
  type FileClaimInput,
  PickFraudReviewDocument,
  RecordClaimPaymentDocument,
  RecordOrderDocument,
  RecordRecoveryPaymentDocument,
  RegisterInsurancePolicyDocument,
  RequestInsuranceQuotesDocument,
  RespondToClaimDocument,
  type RespondToClaimInput,
  ReviewClaimDocument,
  type ReviewDecision,
  SubmitFraudReviewDocument,
  SubmitProductDefenceDocument,
  UpdateSellerInsuranceProfileDocument,
  UpsertCustomerDocument,
  UpsertSellerDocument,
  VerifyInsurancePolicyDocument,
} from './__generated__/graphql';
import { claimInput, COMPLIANT_TERMS, insureSeller, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { usd } from './support/money';
import { containsCanary, PII_CANARY } from './support/pii-canary';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { DAY, HOUR, MINUTE } from './support/time';
import { until } from './support/waiting';

/**
 * Notifications, over real HTTP and WebSocket on a real database: what each party is told of each
 * step of a claim and of its insurance, in the words written for it; who is never told what; the
 * inbox API; live delivery. No mail server is configured here (emails: notification-email.test.ts).
 *
 * One server for the file. Each test makes its own customers, sellers and insurers, so a
 * principal's whole inbox is the test's to assert (a leak or a duplicate shows as an extra entry);
 * the clock only moves forward, each test timing its steps from wherever the clock stands.
 */

let t: TestServer;
let agent: GraphQLClient;
const sockets: Client[] = [];

/**
 * Every screening weight at zero but the undelivered order's: a claim on an order not delivered
 * yet is referred to an expert, any other is routed at once, however many claims the file makes.
 */
function referringUndeliveredOnly(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+notifications`;
  policy.filedBeforeDelivery.weight = 35;
}

beforeAll(async () => {
  t = await startTestServer({
    SCREENING_POLICY_FILE: screeningPolicyFile(referringUndeliveredOnly),
    // Live notifications must come from wake-ups, not from the safety poll.
    EVENT_POLL_INTERVAL_MS: '0',
  });
  await seedMarketplace(t);
  agent = await t.agent();
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => Promise.resolve(socket.dispose())));
  await t?.stop();
});

// ---------------------------------------------------------------------------------------------
// Raw GraphQL

/** Sends an operation that must succeed, and answers its data. */
async function gql<T>(client: GraphQLClient, query: string, variables: Record<string, unknown> = {}) {
  const response: GraphQLResponse<T> = await client.post({ query, variables });
  if (response.errors?.length || !response.data) {
    throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

interface Notification {
  id: string;
  category: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  emailStatus: string;
  emailSentAt: string | null;
  claim: { id: string } | null;
}

const NOTIFICATION_FIELDS = 'id category title body createdAt readAt emailStatus emailSentAt claim { id }';

interface Page {
  notifications: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Notification }[];
  };
  inbox: { unreadCount: number };
}

const INBOX = `query Inbox($first: Int!, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ${NOTIFICATION_FIELDS} } }
  }
  inbox { unreadCount }
}`;

function page(client: GraphQLClient, first: number, after?: string | null, unreadOnly?: boolean) {
  return gql<Page>(client, INBOX, { first, after, unreadOnly });
}

/** The whole inbox, newest first, as the API pages it. */
async function inbox(client: GraphQLClient): Promise<Notification[]> {
  const all: Notification[] = [];
  let after: string | null = null;
  for (;;) {
    const { notifications }: Page = await page(client, 100, after);
    all.push(...notifications.edges.map((edge) => edge.node));
    if (!notifications.pageInfo.hasNextPage) return all;
    after = notifications.pageInfo.endCursor;
  }
}

interface Notice {
  category: string;
  title: string;
  body: string;
  claimId: string | null;
}

/** What the principal was told (of one claim, given one), oldest first. */
async function toldTo(client: GraphQLClient, claimId?: string): Promise<Notice[]> {
  return (await inbox(client))
    .filter((item) => claimId === undefined || item.claim?.id === claimId)
    .map(({ category, title, body, claim }) => ({ category, title, body, claimId: claim?.id ?? null }))
    .reverse();
}

function notice(claim: { id: string } | null, category: string, title: string, body: string): Notice {
  return { category, title, body, claimId: claim?.id ?? null };
}

const MARK_READ = `mutation Mark($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) { inbox { unreadCount } userErrors { field code message } }
}`;

interface MarkResult {
  markNotificationsRead: {
    inbox: { unreadCount: number } | null;
    userErrors: { field: string[]; code: string; message: string }[];
  };
}

function markRead(client: GraphQLClient, input: { ids?: string[]; all?: boolean }) {
  return gql<MarkResult>(client, MARK_READ, { input });
}

const NODE = `query Node($id: ID!) { node(id: $id) { id ... on Notification { title body } } }`;

async function nodeOf(client: GraphQLClient, id: string) {
  return (await gql<{ node: { id: string; title?: string } | null }>(client, NODE, { id })).node;
}

// ---------------------------------------------------------------------------------------------
// Parties, each new to the test that makes it

let serial = 0;

interface Party {
  ref: string;
  client: GraphQLClient;
}

async function newCustomer(): Promise<Party> {
  serial += 1;
  const ref = `cust-n${serial}`;
  const { upsertCustomer } = await agent.data(UpsertCustomerDocument, {
    input: { externalRef: ref, name: `Customer ${serial}`, email: `${ref}@example.com` },
  });
  expect(upsertCustomer.userErrors).toEqual([]);
  return { ref, client: await t.as(Role.CUSTOMER, ref) };
}

async function newSeller(): Promise<Party & { id: string; name: string }> {
  serial += 1;
  const ref = `sell-n${serial}`;
  const name = `Seller ${serial}`;
  const { upsertSeller } = await agent.data(UpsertSellerDocument, {
    input: { externalRef: ref, name, contactEmail: `${ref}@example.com` },
  });
  expect(upsertSeller.userErrors).toEqual([]);
  return { ref, id: upsertSeller.seller!.id, name, client: await t.as(Role.SELLER, ref) };
}

/** A new insurer giving `sellerRef` verified cover for 2026 (the incident day of every claim here). */
async function insurerOf(sellerRef: string): Promise<Party> {
  serial += 1;
  const ref = `ins-n${serial}`;
  await insureSeller(t, sellerRef, ref);
  return { ref, client: await t.as(Role.INSURER, ref) };
}

async function addProvider(input: Omit<AddInsuranceProviderInput, 'naicCode'>): Promise<string> {
  serial += 1;
  const { addInsuranceProvider } = await agent.data(AddInsuranceProviderDocument, {
    input: { naicCode: String(30000 + serial), ...input },
  });
  expect(addInsuranceProvider.userErrors).toEqual([]);
  return addInsuranceProvider.provider!.id;
}

async function orderOf(customerRef: string, sellerRef: string, delivered = true): Promise<string> {
  serial += 1;
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-n${serial}`,
      customerRef,
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: usd('89.99'),
      purchasedAt: '2026-05-01T10:00:00.000Z',
      ...(delivered ? { deliveredAt: '2026-05-04T15:00:00.000Z' } : {}),
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  return recordOrder.order!.id;
}

interface FiledClaim {
  id: string;
  number: string;
}

async function fileClaim(
  customer: Party,
  sellerRef: string,
  overrides: Partial<FileClaimInput> & { delivered?: boolean } = {},
): Promise<FiledClaim> {
  const { delivered, ...input } = overrides;
  const { fileClaim } = await customer.client.data(FileClaimDocument, {
    input: claimInput(await orderOf(customer.ref, sellerRef, delivered ?? true), input),
  });
  expect(fileClaim.userErrors).toEqual([]);
  return { id: fileClaim.claim!.id, number: fileClaim.claim!.number };
}

/** Medical information marked with the canary: it must never reach a notification. */
const WITH_INJURY: Partial<FileClaimInput> = {
  kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
  injuryDetails: {
    description: `${PII_CANARY} burns to the right hand`,
    medicallyTreated: true,
    treatmentDetails: `${PII_CANARY} dressed at the emergency room`,
  },
};

function evidence(kind: EvidenceInput['kind'], description: string): EvidenceInput {
  serial += 1;
  return {
    kind,
    description,
    contentHash: `sha256:${'c'.repeat(56)}${serial.toString(16).padStart(8, '0')}`,
    uri: `https://files.example.com/notifications-${serial}.pdf`,
  };
}

function medicalClaim(amount: string): Partial<FileClaimInput> {
  return {
    ...WITH_INJURY,
    amountClaimed: usd(amount),
    evidence: [
      evidence('PHOTO', 'The scorched heater'),
      evidence('MEDICAL_RECORD', `${PII_CANARY} discharge letter`),
    ],
  };
}

/** Registers a policy of a new provider for the seller, to `effectiveTo`, and has an agent verify it. */
async function verifiedPolicy(seller: { id: string; client: GraphQLClient }, effectiveTo: string) {
  const providerId = await addProvider({
    externalRef: `ins-policy-${serial + 1}`,
    name: 'Acme Mutual',
    financialRating: 'A_MINUS',
    vetted: false,
  });
  const policyNumber = `AM-${serial}`;
  const { registerInsurancePolicy } = await seller.client.data(RegisterInsurancePolicyDocument, {
    input: {
      providerId,
      policyNumber,
      effectiveFrom: '2026-01-01',
      effectiveTo,
      perOccurrenceLimit: usd('1000000.00'),
      aggregateLimit: usd('2000000.00'),
      deductible: usd('5000.00'),
      additionalInsured: true,
    },
  });
  expect(registerInsurancePolicy.userErrors).toEqual([]);
  const { verifyInsurancePolicy } = await agent.data(VerifyInsurancePolicyDocument, {
    input: { policyId: registerInsurancePolicy.policy!.id, confirmed: true },
  });
  expect(verifyInsurancePolicy.userErrors).toEqual([]);
  return policyNumber;
}

/** The first instant of the UTC day `days` after today. */
function dayStart(days: number): number {
  const today = new Date(`${t.clock.now().toISOString().slice(0, 10)}T00:00:00.000Z`).getTime();
  return today + days * DAY;
}

// ---------------------------------------------------------------------------------------------
// Commands

let keys = 0;
function key(): string {
  keys += 1;
  return `notifications-${process.pid}-${keys}`;
}

async function respond(client: GraphQLClient, input: RespondToClaimInput): Promise<void> {
  const { respondToClaim } = await client.data(RespondToClaimDocument, { input });
  expect(respondToClaim.userErrors).toEqual([]);
}

async function review(claimId: string, decision: ReviewDecision, reason: string): Promise<void> {
  const { reviewClaim } = await agent.data(ReviewClaimDocument, {
    input: { claimId, decision, reason, idempotencyKey: key() },
  });
  expect(reviewClaim.userErrors).toEqual([]);
}

async function appeal(customer: Party, claimId: string): Promise<void> {
  const { appealClaim } = await customer.client.data(AppealClaimDocument, {
    input: {
      claimId,
      statement: 'An electrician confirms the wiring was faulty from the factory.',
      evidence: [evidence('EXPERT_REPORT', "The electrician's report")],
    },
  });
  expect(appealClaim.userErrors).toEqual([]);
}

/** A fraud expert picks the claim's review and denies the claim as fraudulent. */
async function expertDenies(claimId: string): Promise<void> {
  const expert = await t.as(Role.FRAUD_EXPERT, 'expert-n');
  const { claim } = await gql<{ claim: { fraudReview: { id: string } | null } }>(
    agent,
    'query($id: ID!) { claim(id: $id) { fraudReview { id } } }',
    { id: claimId },
  );
  const { pickFraudReview } = await expert.data(PickFraudReviewDocument, {
    input: { reviewId: claim.fraudReview!.id },
  });
  expect(pickFraudReview.userErrors).toEqual([]);
  const { submitFraudReview } = await expert.data(SubmitFraudReviewDocument, {
    input: { claimId, finding: 'FRAUDULENT', rationale: 'The photos were taken from a listing.' },
  });
  expect(submitFraudReview.userErrors).toEqual([]);
}

/** Makes notifications of everything committed; the second run must find nothing left to make. */
async function notify(): Promise<void> {
  await t.runNotifications();
  expect((await t.runNotifications()).notified).toBe(0);
}

/** Runs the work due now, then makes its notifications. */
async function settle(): Promise<void> {
  await t.runJobs();
  await notify();
}

/** Moves the clock to `offset` ms after `from`. */
function moveTo(from: number, offset: number): void {
  t.clock.set(new Date(from + offset));
}

const iso = (from: number, offset = 0) => new Date(from + offset).toISOString();

/** Nothing that tells of screening, an expert or an appeal: the seller side never reads of them. */
function expectNoScreening(notices: Notice[]): void {
  for (const item of notices) expect(`${item.title} ${item.body}`).not.toMatch(/screen|expert|appeal/i);
}

function expectNoMedical(notifications: Notice[]): void {
  for (const item of notifications) {
    expect(containsCanary(`${item.title} ${item.body}`), `${item.title}: ${item.body}`).toBe(false);
  }
}

const received = (claim: FiledClaim) =>
  notice(
    claim,
    'CLAIM_RECEIVED',
    `Claim ${claim.number} received`,
    'Claim filed by the customer. The marketplace screens it first; you are told of every step.',
  );
const decided = (claim: FiledClaim, body: string) =>
  notice(claim, 'CLAIM_DECISION', `Claim ${claim.number}: next step`, body);
const paid = (claim: FiledClaim, body: string) =>
  notice(claim, 'PAYOUT', `Claim ${claim.number}: you were paid`, body);
const recovery = (claim: FiledClaim, body: string) =>
  notice(claim, 'RECOVERY', `Claim ${claim.number}: recovery`, body);
const steppedIn = (claim: FiledClaim, body: string) =>
  notice(claim, 'STEPPED_IN', `Claim ${claim.number}: the marketplace stepped in`, body);
const reminded = (claim: FiledClaim, body: string) =>
  notice(claim, 'RESPONSE_REMINDER', `Reminder: claim ${claim.number} needs a response`, body);

const SENT_TO_SELLER = 'The claim passed screening; the seller and its insurer were asked to respond.';

// =============================================================================================

describe('customers, sellers and insurers are told of each step of a claim', () => {
  it('a small claim on an insured seller: the customer hears it was received, approved and paid; the seller, once screened, that it costs it nothing; the insurer nothing', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('250.00') });
    await notify();
    expect(await toldTo(customer.client)).toEqual([received(claim)]);
    // Not screened yet: the seller side hears nothing of it.
    expect(await toldTo(seller.client)).toEqual([]);
    expect(await toldTo(insurer.client)).toEqual([]);

    await settle();
    expect(await toldTo(customer.client)).toEqual([
      received(claim),
      decided(claim, 'The claim passed screening; the marketplace pays it directly as a concession.'),
      paid(claim, 'The marketplace paid the customer 250.00 USD.'),
    ]);
    expect(await toldTo(seller.client)).toEqual([
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number}`,
        'The seller was informed: the marketplace paid this claim at no cost to the seller, who may still submit evidence that the product was not defective.',
      ),
    ]);
    expect(await toldTo(insurer.client)).toEqual([]);
  });

  it('a small claim on an uninsured seller: the seller hears of the recovery opened, proceeding after the grace period and collected; the customer of none of it', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('120.50') });
    const routedAt = t.clock.now().getTime();
    await settle();
    const opened = [
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number}`,
        'The seller was informed: the marketplace paid this claim; the seller held no valid insurance on the incident date.',
      ),
      recovery(
        claim,
        `The seller had no insurance on the incident date: unless it proves cover by ${iso(routedAt, 7 * DAY)}, the marketplace recovers 120.50 USD from it.`,
      ),
    ];
    expect(await toldTo(seller.client)).toEqual(opened);

    moveTo(routedAt, 7 * DAY);
    await settle();
    const proceeding = recovery(
      claim,
      'No proof of insurance arrived in the grace period: the recovery from the seller proceeds.',
    );
    expect(await toldTo(seller.client)).toEqual([...opened, proceeding]);

    const { recordRecoveryPayment } = await agent.data(RecordRecoveryPaymentDocument, {
      input: { claimId: claim.id, reference: 'WIRE-5531', idempotencyKey: key() },
    });
    expect(recordRecoveryPayment.userErrors).toEqual([]);
    await notify();
    expect(await toldTo(seller.client)).toEqual([
      ...opened,
      proceeding,
      recovery(claim, 'The marketplace recovered 120.50 USD (reference WIRE-5531).'),
    ]);
    expect(await toldTo(customer.client)).toEqual([
      received(claim),
      decided(claim, 'The claim passed screening; the marketplace pays it directly as a concession.'),
      paid(claim, 'The marketplace paid the customer 120.50 USD.'),
    ]);
  });

  it('proof of cover within the grace period: the seller hears the recovery is dropped; the insurer, who was not the claim’s at its release, hears nothing', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('99.00') });
    const routedAt = t.clock.now().getTime();
    await settle();
    const insurer = await insurerOf(seller.ref);
    moveTo(routedAt, 7 * DAY);
    await settle();
    expect((await toldTo(seller.client)).slice(1)).toEqual([
      recovery(
        claim,
        `The seller had no insurance on the incident date: unless it proves cover by ${iso(routedAt, 7 * DAY)}, the marketplace recovers 99.00 USD from it.`,
      ),
      recovery(
        claim,
        'The seller proved valid insurance on the incident date within the grace period: nothing is recovered.',
      ),
    ]);
    expect(await toldTo(insurer.client)).toEqual([]);
  });

  it("a larger claim: seller and insurer are asked with the deadline and reminded; the insurer accepts to pay and is asked for the payment; the customer follows each decision; nobody's notice carries medical details", async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claim = await fileClaim(customer, seller.ref, medicalClaim('1500.00'));
    const routedAt = t.clock.now().getTime();
    const respondBy = iso(routedAt, 72 * HOUR);
    await settle();
    const sellerAsked = notice(
      claim,
      'CLAIM_NOTICE',
      `Claim ${claim.number} needs your response by ${respondBy}`,
      `The seller was notified and must accept or reject the claim by ${respondBy}.`,
    );
    const insurerAsked = notice(
      claim,
      'CLAIM_NOTICE',
      `Claim ${claim.number} on a seller you insure: response due by ${respondBy}`,
      `The seller's insurer was notified and may respond by ${respondBy}.`,
    );
    expect(await toldTo(seller.client)).toEqual([sellerAsked]);
    expect(await toldTo(insurer.client)).toEqual([insurerAsked]);

    moveTo(routedAt, 48 * HOUR);
    await settle();
    const reminder = reminded(
      claim,
      `Reminder sent to the seller and its insurer: about 24 h left to respond (deadline ${respondBy}).`,
    );
    expect(await toldTo(seller.client)).toEqual([sellerAsked, reminder]);
    expect(await toldTo(insurer.client)).toEqual([insurerAsked, reminder]);

    moveTo(routedAt, 49 * HOUR);
    await respond(insurer.client, {
      claimId: claim.id,
      response: 'ACCEPT',
      payer: 'INSURER',
      statement: 'Covered under the policy.',
    });
    await notify();
    const paymentRequested = notice(
      claim,
      'PAYMENT_REQUESTED',
      `Claim ${claim.number}: the customer awaits your payment`,
      "The seller's insurer will pay the customer. Confirm it with recordClaimPayment once paid.",
    );
    expect(await toldTo(insurer.client)).toEqual([insurerAsked, reminder, paymentRequested]);

    moveTo(routedAt, 50 * HOUR);
    const { recordClaimPayment } = await insurer.client.data(RecordClaimPaymentDocument, {
      input: { claimId: claim.id, reference: 'INS-PAY-1', idempotencyKey: key() },
    });
    expect(recordClaimPayment.userErrors).toEqual([]);
    // The 1 h reminder and the deadline come and find the claim answered.
    moveTo(routedAt, 72 * HOUR);
    await settle();

    const customerTold = await toldTo(customer.client);
    expect(customerTold).toEqual([
      received(claim),
      decided(claim, SENT_TO_SELLER),
      decided(claim, "The claim was accepted by the seller's insurer; the insurer pays."),
      paid(claim, 'Payment of 1500.00 USD to the customer confirmed.'),
    ]);
    const sellerTold = await toldTo(seller.client);
    expect(sellerTold).toEqual([sellerAsked, reminder]);
    const insurerTold = await toldTo(insurer.client);
    expect(insurerTold).toEqual([insurerAsked, reminder, paymentRequested]);
    const agentsTold = await toldTo(agent, claim.id);
    for (const told of [customerTold, sellerTold, insurerTold, agentsTold]) expectNoMedical(told);
  });

  it('silence: seller and insurer are reminded 24 h and 1 h before the deadline, then told the marketplace stepped in and recovers from the insurer; the customer of the step-in and the payout', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('2000.00') });
    const routedAt = t.clock.now().getTime();
    const respondBy = iso(routedAt, 72 * HOUR);
    await settle();
    for (const due of [48 * HOUR, 71 * HOUR, 72 * HOUR]) {
      moveTo(routedAt, due);
      await settle();
    }
    const afterTheNotice = [
      reminded(
        claim,
        `Reminder sent to the seller and its insurer: about 24 h left to respond (deadline ${respondBy}).`,
      ),
      reminded(
        claim,
        `Reminder sent to the seller and its insurer: about 1 h left to respond (deadline ${respondBy}).`,
      ),
      steppedIn(claim, 'No response by the deadline: the marketplace stepped in.'),
      recovery(claim, "The marketplace recovers 2000.00 USD from the seller's insurer."),
    ];
    expect(await toldTo(seller.client)).toEqual([
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number} needs your response by ${respondBy}`,
        `The seller was notified and must accept or reject the claim by ${respondBy}.`,
      ),
      ...afterTheNotice,
    ]);
    expect(await toldTo(insurer.client)).toEqual([
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number} on a seller you insure: response due by ${respondBy}`,
        `The seller's insurer was notified and may respond by ${respondBy}.`,
      ),
      ...afterTheNotice,
    ]);
    expect(await toldTo(customer.client)).toEqual([
      received(claim),
      decided(claim, SENT_TO_SELLER),
      decided(claim, 'No response by the deadline: the marketplace stepped in.'),
      paid(claim, 'The marketplace paid the customer 2000.00 USD.'),
    ]);
  });

  it('rejected: agents are told a review waits; denied, the customer is told until when it may appeal; appealed and stepped in, a defence waits for agents; upheld, the seller side hears the outcome and the dropped recovery', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('1500.00') });
    const routedAt = t.clock.now().getTime();
    const respondBy = iso(routedAt, 72 * HOUR);
    await settle();

    moveTo(routedAt, HOUR);
    await respond(seller.client, {
      claimId: claim.id,
      response: 'REJECT',
      statement: 'The heater passed every safety test.',
    });
    moveTo(routedAt, 2 * HOUR);
    await review(claim.id, 'UPHOLD_REJECTION', 'The photos show damage that predates the purchase.');
    await notify();
    const reviewWaiting = notice(
      claim,
      'REVIEW_WAITING',
      `Claim ${claim.number} waits for a review`,
      'The marketplace reviews the rejection.',
    );
    const denied = notice(
      claim,
      'CLAIM_DECISION',
      `Claim ${claim.number} denied`,
      `The marketplace agreed with the rejection; the claim is denied. The customer may appeal with new evidence. You may appeal with new evidence until ${iso(routedAt, 2 * HOUR + 30 * DAY)}.`,
    );
    expect(await toldTo(customer.client)).toEqual([
      received(claim),
      decided(claim, SENT_TO_SELLER),
      decided(claim, 'The marketplace reviews the rejection.'),
      denied,
    ]);
    expect(await toldTo(agent, claim.id)).toEqual([reviewWaiting]);

    moveTo(routedAt, DAY);
    await appeal(customer, claim.id);
    await notify();
    const reviewAgain = notice(
      claim,
      'REVIEW_WAITING',
      `Claim ${claim.number} waits for a review`,
      'The customer appealed with new evidence; the marketplace reviews the claim again.',
    );
    expect(await toldTo(agent, claim.id)).toEqual([reviewWaiting, reviewAgain]);

    moveTo(routedAt, 2 * DAY);
    await review(claim.id, 'STEP_IN', 'The electrician’s report shows a manufacturing defect.');
    moveTo(routedAt, 3 * DAY);
    const { submitProductDefence } = await seller.client.data(SubmitProductDefenceDocument, {
      input: { claimId: claim.id, statement: 'A laboratory found no defect in the returned unit.' },
    });
    expect(submitProductDefence.userErrors).toEqual([]);
    await notify();
    const defenceWaiting = notice(
      claim,
      'DECISION_WAITING',
      `Claim ${claim.number}: a defence waits for a decision`,
      'The seller submitted evidence that the product was not defective. The customer keeps what was paid.',
    );
    expect(await toldTo(agent, claim.id)).toEqual([reviewWaiting, reviewAgain, defenceWaiting]);

    moveTo(routedAt, 4 * DAY);
    const { decideProductDefence } = await agent.data(DecideProductDefenceDocument, {
      input: { claimId: claim.id, decision: 'UPHOLD', reason: 'The laboratory report is convincing.' },
    });
    expect(decideProductDefence.userErrors).toEqual([]);
    await settle();

    expect(await toldTo(customer.client)).toEqual([
      received(claim),
      decided(claim, SENT_TO_SELLER),
      decided(claim, 'The marketplace reviews the rejection.'),
      denied,
      decided(claim, 'The customer appealed with new evidence; the marketplace reviews the claim again.'),
      decided(claim, 'The marketplace stepped in.'),
      paid(claim, 'The marketplace paid the customer 1500.00 USD.'),
    ]);
    const afterTheNotice = [
      steppedIn(claim, 'The marketplace stepped in.'),
      recovery(claim, "The marketplace recovers 1500.00 USD from the seller's insurer."),
      notice(
        claim,
        'DEFENCE_OUTCOME',
        `Claim ${claim.number}: your defence was decided`,
        'The marketplace upheld the defence of the product; the customer keeps what was paid.',
      ),
      recovery(claim, 'The defence was upheld: the recovery is dropped.'),
    ];
    const sellerTold = await toldTo(seller.client);
    expect(sellerTold).toEqual([
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number} needs your response by ${respondBy}`,
        `The seller was notified and must accept or reject the claim by ${respondBy}.`,
      ),
      ...afterTheNotice,
    ]);
    const insurerTold = await toldTo(insurer.client);
    expect(insurerTold).toEqual([
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number} on a seller you insure: response due by ${respondBy}`,
        `The seller's insurer was notified and may respond by ${respondBy}.`,
      ),
      ...afterTheNotice,
    ]);
    expectNoScreening([...sellerTold, ...insurerTold]);
  });

  it('a denial after the appeal is final: the customer is told so, with no appeal deadline', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('1500.00') });
    const routedAt = t.clock.now().getTime();
    await settle();
    moveTo(routedAt, HOUR);
    await respond(seller.client, { claimId: claim.id, response: 'REJECT', statement: 'Misuse.' });
    await review(claim.id, 'UPHOLD_REJECTION', 'The damage predates the purchase.');
    await notify();
    moveTo(routedAt, DAY);
    await appeal(customer, claim.id);
    await review(claim.id, 'UPHOLD_REJECTION', 'The new photos show the same damage.');
    await notify();
    expect((await toldTo(customer.client)).slice(-2)).toEqual([
      decided(claim, 'The customer appealed with new evidence; the marketplace reviews the claim again.'),
      notice(
        claim,
        'CLAIM_DECISION',
        `Claim ${claim.number} denied`,
        'The marketplace denied the claim again after the appeal; this denial is final.',
      ),
    ]);
  });

  it('a denial tells the customer its appeal deadline even when the notice is made after the customer appealed', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('1500.00') });
    const routedAt = t.clock.now().getTime();
    await settle();
    moveTo(routedAt, HOUR);
    await respond(seller.client, { claimId: claim.id, response: 'REJECT', statement: 'Misuse.' });
    await review(claim.id, 'UPHOLD_REJECTION', 'The damage predates the purchase.');
    // The notifications are made late (the worker was busy or down): the denial still said it.
    moveTo(routedAt, DAY);
    await appeal(customer, claim.id);
    await notify();
    expect((await toldTo(customer.client)).slice(-3)).toEqual([
      decided(claim, 'The marketplace reviews the rejection.'),
      notice(
        claim,
        'CLAIM_DECISION',
        `Claim ${claim.number} denied`,
        `The marketplace agreed with the rejection; the claim is denied. The customer may appeal with new evidence. You may appeal with new evidence until ${iso(routedAt, HOUR + 30 * DAY)}.`,
      ),
      decided(claim, 'The customer appealed with new evidence; the marketplace reviews the claim again.'),
    ]);
  });

  it('expert review: seller and insurer hear nothing of a claim referred and denied by an expert; appealed and stepped in on, they hear of it from the step-in on, in words that say nothing of the review', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const insurer = await insurerOf(seller.ref);
    const claim = await fileClaim(customer, seller.ref, { delivered: false, amountClaimed: usd('250.00') });
    const referredAt = t.clock.now().getTime();
    await settle();
    moveTo(referredAt, HOUR);
    await expertDenies(claim.id);
    await notify();
    const referredAndDenied = [
      received(claim),
      decided(claim, 'The claim needs an additional review by an independent expert before it goes further.'),
      notice(
        claim,
        'CLAIM_DECISION',
        `Claim ${claim.number} denied`,
        `An independent expert reviewed the claim; it is denied. The customer may appeal with new evidence. You may appeal with new evidence until ${iso(referredAt, HOUR + 30 * DAY)}.`,
      ),
    ];
    expect(await toldTo(customer.client)).toEqual(referredAndDenied);
    expect(await toldTo(seller.client)).toEqual([]);
    expect(await toldTo(insurer.client)).toEqual([]);

    moveTo(referredAt, DAY);
    await appeal(customer, claim.id);
    await notify();
    // Under the marketplace's review again: still nothing for the seller side.
    expect(await toldTo(seller.client)).toEqual([]);
    expect(await toldTo(insurer.client)).toEqual([]);

    moveTo(referredAt, 2 * DAY);
    await review(claim.id, 'STEP_IN', 'The report shows a manufacturing defect.');
    await notify();
    const stepIn = [
      steppedIn(claim, 'The marketplace stepped in.'),
      recovery(claim, "The marketplace recovers 250.00 USD from the seller's insurer."),
    ];
    const sellerTold = await toldTo(seller.client);
    expect(sellerTold).toEqual([
      ...stepIn,
      notice(
        claim,
        'CLAIM_NOTICE',
        `Claim ${claim.number}`,
        'The seller was informed: the marketplace paid this claim and recovers the amount; the seller may submit evidence that the product was not defective.',
      ),
    ]);
    const insurerTold = await toldTo(insurer.client);
    expect(insurerTold).toEqual(stepIn);
    expectNoScreening([...sellerTold, ...insurerTold]);
    expect(await toldTo(customer.client)).toEqual([
      ...referredAndDenied,
      decided(claim, 'The customer appealed with new evidence; the marketplace reviews the claim again.'),
      decided(claim, 'The marketplace stepped in.'),
      paid(claim, 'The marketplace paid the customer 250.00 USD.'),
    ]);
  });
});

describe('agents: work waiting, addressed to the whole team', () => {
  it('any agent sees the reviews and defence decisions waiting; nobody else can read them', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('3000.00') });
    await settle();
    await respond(seller.client, { claimId: claim.id, response: 'REJECT', statement: 'Not our product.' });
    await review(claim.id, 'STEP_IN', 'The product is theirs.');
    const { submitProductDefence } = await seller.client.data(SubmitProductDefenceDocument, {
      input: { claimId: claim.id, statement: 'Misuse by the customer.' },
    });
    expect(submitProductDefence.userErrors).toEqual([]);
    await notify();
    const waiting = [
      notice(
        claim,
        'REVIEW_WAITING',
        `Claim ${claim.number} waits for a review`,
        'The marketplace reviews the rejection.',
      ),
      notice(
        claim,
        'DECISION_WAITING',
        `Claim ${claim.number}: a defence waits for a decision`,
        'The seller submitted evidence that the product was not defective. The customer keeps what was paid.',
      ),
    ];
    const one = await t.as(Role.AGENT, 'agent-one');
    const two = await t.as(Role.AGENT, 'agent-two');
    expect(await toldTo(one, claim.id)).toEqual(waiting);
    expect(await toldTo(two, claim.id)).toEqual(waiting);
    const ids = (await inbox(one)).filter((item) => item.claim?.id === claim.id).map((item) => item.id);
    expect((await inbox(two)).filter((item) => item.claim?.id === claim.id).map((item) => item.id)).toEqual(
      ids,
    );
    for (const id of ids) {
      expect(await nodeOf(two, id)).toMatchObject({ id });
      for (const other of [customer.client, seller.client, await t.as(Role.FRAUD_EXPERT, 'expert-n')]) {
        expect(await nodeOf(other, id)).toBeNull();
      }
    }
    const { decideProductDefence } = await agent.data(DecideProductDefenceDocument, {
      input: { claimId: claim.id, decision: 'REJECT', reason: 'Misuse is not shown.' },
    });
    expect(decideProductDefence.userErrors).toEqual([]);
    await notify();
    expect((await toldTo(seller.client)).slice(-1)).toEqual([
      notice(
        claim,
        'DEFENCE_OUTCOME',
        `Claim ${claim.number}: your defence was decided`,
        'The marketplace rejected the defence of the product.',
      ),
    ]);
    // Neither the customer nor the seller is told what waits for the marketplace.
    for (const told of [await toldTo(customer.client), await toldTo(seller.client)]) {
      expect(told.map((item) => item.category)).not.toContain('REVIEW_WAITING');
      expect(told.map((item) => item.category)).not.toContain('DECISION_WAITING');
    }
  });
});

describe('insurance', () => {
  it('quote requests tell the partner insurers of the vetted network, not those quoting by model nor those outside it', async () => {
    const partner = `ins-partner-${serial + 1}`;
    await addProvider({
      externalRef: partner,
      name: 'Harbor Partner',
      financialRating: 'A',
      vetted: true,
      contactEmail: `${partner}@insurer.example`,
    });
    const outside = `ins-outside-${serial + 1}`;
    await addProvider({ externalRef: outside, name: 'Outside Mutual', financialRating: 'A', vetted: false });
    const model = `ins-model-${serial + 1}`;
    await addProvider({
      externalRef: model,
      name: 'Keystone General',
      financialRating: 'A_PLUS',
      vetted: true,
      ratingModel: 'GENERAL_MERCHANDISE',
    });
    const seller = await newSeller();
    const { updateSellerInsuranceProfile } = await seller.client.data(UpdateSellerInsuranceProfileDocument, {
      input: {
        productCategories: ['home'],
        annualRevenue: usd('750000.00'),
        unitsSold: 12_000,
        yearsInBusiness: 3,
      },
    });
    expect(updateSellerInsuranceProfile.userErrors).toEqual([]);
    const idempotencyKey = key();
    const { requestInsuranceQuotes } = await seller.client.data(RequestInsuranceQuotesDocument, {
      input: { idempotencyKey },
    });
    expect(requestInsuranceQuotes.userErrors).toEqual([]);
    const { respondBy, coverageStart } = requestInsuranceQuotes.quoteRequest!;
    // A retry of the request answers the first one and tells nobody again.
    const retried = await seller.client.data(RequestInsuranceQuotesDocument, { input: { idempotencyKey } });
    expect(retried.requestInsuranceQuotes.quoteRequest!.id).toBe(requestInsuranceQuotes.quoteRequest!.id);
    expect(await toldTo(await t.as(Role.INSURER, partner))).toEqual([
      notice(
        null,
        'QUOTE_REQUEST',
        `A seller asks for a quote, due by ${respondBy}`,
        `${seller.name} asks the network for product-liability cover from ${coverageStart}. Price it with submitInsuranceQuote or decline it with declineInsuranceQuote by ${respondBy}.`,
      ),
    ]);
    expect(await toldTo(await t.as(Role.INSURER, outside))).toEqual([]);
    expect(await toldTo(await t.as(Role.INSURER, model))).toEqual([]);
    expect(await toldTo(seller.client)).toEqual([]);
  });

  it('a seller is told its cover ends 30 and 7 days ahead, then that it ended', async () => {
    const seller = await newSeller();
    const bystander = await newSeller();
    // Cover ends 40 days from today: its last day is the day before.
    const endsAt = dayStart(40);
    const lastDay = iso(endsAt, -DAY).slice(0, 10);
    const policyNumber = await verifiedPolicy(seller, lastDay);
    const expiring = (days: number) =>
      notice(
        null,
        'POLICY_EXPIRING',
        `Your cover ends on ${lastDay}`,
        `Reminder: cover under Acme Mutual policy ${policyNumber} ends on ${lastDay}, in ${days} days. Renew it, bind a new quote or register another policy to stay compliant.`,
      );
    moveTo(endsAt, -30 * DAY);
    await settle();
    expect(await toldTo(seller.client)).toEqual([expiring(30)]);
    moveTo(endsAt, -7 * DAY);
    await settle();
    expect(await toldTo(seller.client)).toEqual([expiring(30), expiring(7)]);
    moveTo(endsAt, 0);
    await settle();
    expect(await toldTo(seller.client)).toEqual([
      expiring(30),
      expiring(7),
      notice(
        null,
        'POLICY_EXPIRED',
        `Your cover under policy ${policyNumber} ended`,
        `Cover ended on ${lastDay}. No later verified policy follows: the seller is not compliant from the next day.`,
      ),
    ]);
    expect(await toldTo(bystander.client)).toEqual([]);
  });

  it('both reminders due at once (the job processor was down): the seller is reminded, and no job fails', async () => {
    const seller = await newSeller();
    const endsAt = dayStart(40);
    const lastDay = iso(endsAt, -DAY).slice(0, 10);
    await verifiedPolicy(seller, lastDay);
    moveTo(endsAt, -7 * DAY);
    await settle();
    expect((await toldTo(seller.client)).map((item) => item.category)).toContain('POLICY_EXPIRING');
    const jobs: { status: string; last_error: string | null }[] = await t.orm.em.getConnection().execute(
      `select j.status, j.last_error from scheduled_job j
         join insurance_policy p on p.id = j.policy_id
         join seller s on s.id = p.seller_id
        where s.external_ref = ? and j.kind = 'POLICY_EXPIRY_REMINDER'
        order by j.id`,
      [seller.ref],
    );
    expect(jobs).toEqual([
      { status: 'DONE', last_error: null },
      { status: 'DONE', last_error: null },
    ]);
  });
});

describe('who is told what', () => {
  it('sellers, insurers and customers are told only of their own claims', async () => {
    const [customerOne, customerTwo] = [await newCustomer(), await newCustomer()];
    const [sellerOne, sellerTwo] = [await newSeller(), await newSeller()];
    const [insurerOne, insurerTwo] = [await insurerOf(sellerOne.ref), await insurerOf(sellerTwo.ref)];
    // An insurer of sellerOne, but not on the incident day: never the claim's insurer.
    serial += 1;
    const formerRef = `ins-former-${serial}`;
    const em = t.orm.em.fork();
    em.create(InsurancePolicy, {
      seller: await em.findOneOrFail(Seller, { externalRef: sellerOne.ref }),
      provider: em.create(InsuranceProvider, { externalRef: formerRef, name: 'Former Insurer' }),
      policyNumber: `POL-${formerRef}`,
      effectiveFrom: '2025-01-01',
      effectiveTo: '2025-12-31',
      verificationStatus: PolicyVerificationStatus.VERIFIED,
      ...COMPLIANT_TERMS,
    });
    await em.flush();

    const one = await fileClaim(customerOne, sellerOne.ref, { amountClaimed: usd('1200.00') });
    const two = await fileClaim(customerTwo, sellerTwo.ref, { amountClaimed: usd('1300.00') });
    await settle();
    const claimsOf = async (client: GraphQLClient) => [
      ...new Set((await toldTo(client)).map((item) => item.claimId)),
    ];
    expect(await claimsOf(customerOne.client)).toEqual([one.id]);
    expect(await claimsOf(customerTwo.client)).toEqual([two.id]);
    expect(await claimsOf(sellerOne.client)).toEqual([one.id]);
    expect(await claimsOf(sellerTwo.client)).toEqual([two.id]);
    expect(await claimsOf(insurerOne.client)).toEqual([one.id]);
    expect(await claimsOf(insurerTwo.client)).toEqual([two.id]);
    expect(await toldTo(await t.as(Role.INSURER, formerRef))).toEqual([]);
    // Principals of no claim of this file hear nothing at all.
    for (const [role, subject] of [
      [Role.CUSTOMER, 'cust-b'],
      [Role.SELLER, 'sell-b'],
      [Role.INSURER, 'ins-b'],
      [Role.FRAUD_EXPERT, 'expert-idle'],
    ] as const) {
      expect(await inbox(await t.as(role, subject)), `${role} ${subject}`).toEqual([]);
    }
  });

  it("another principal's notification reads as null and cannot be marked read: NOT_FOUND, nothing marked", async () => {
    const [owner, other] = [await newCustomer(), await newCustomer()];
    const seller = await newSeller();
    await fileClaim(owner, seller.ref, { amountClaimed: usd('80.00') });
    await fileClaim(other, seller.ref, { amountClaimed: usd('80.00') });
    await settle();
    const [theirs] = await inbox(owner.client);
    const [mine] = await inbox(other.client);
    expect(await nodeOf(owner.client, theirs.id)).toEqual({
      id: theirs.id,
      title: theirs.title,
      body: theirs.body,
    });
    for (const client of [other.client, seller.client, await t.as(Role.INSURER, 'ins-b')]) {
      expect(await nodeOf(client, theirs.id)).toBeNull();
    }
    const unread = (await page(owner.client, 1)).inbox.unreadCount;
    const otherUnread = (await page(other.client, 1)).inbox.unreadCount;

    expect(await markRead(other.client, { ids: [theirs.id] })).toEqual({
      markNotificationsRead: {
        inbox: null,
        userErrors: [{ field: ['input', 'ids', '0'], code: 'NOT_FOUND', message: 'no such notification' }],
      },
    });
    // One of its own beside another's: refused as a whole, its own left unread.
    expect(await markRead(other.client, { ids: [mine.id, theirs.id] })).toEqual({
      markNotificationsRead: {
        inbox: null,
        userErrors: [{ field: ['input', 'ids', '1'], code: 'NOT_FOUND', message: 'no such notification' }],
      },
    });
    expect((await inbox(owner.client)).every((item) => item.readAt === null)).toBe(true);
    expect((await inbox(other.client)).every((item) => item.readAt === null)).toBe(true);
    expect((await page(owner.client, 1)).inbox.unreadCount).toBe(unread);
    expect((await page(other.client, 1)).inbox.unreadCount).toBe(otherUnread);
  });
});

describe('the inbox', () => {
  it('pages newest first, counts and lists what is unread, and marks read by ids and all at once', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    const first = await fileClaim(customer, seller.ref, { amountClaimed: usd('60.00') });
    await settle();
    const second = await fileClaim(customer, seller.ref, { amountClaimed: usd('70.00') });
    await settle();
    const all = await inbox(customer.client);
    // Three of each claim (received, approved, paid), the second claim's first.
    expect(all.map((item) => [item.claim!.id, item.category])).toEqual([
      [second.id, 'PAYOUT'],
      [second.id, 'CLAIM_DECISION'],
      [second.id, 'CLAIM_RECEIVED'],
      [first.id, 'PAYOUT'],
      [first.id, 'CLAIM_DECISION'],
      [first.id, 'CLAIM_RECEIVED'],
    ]);
    expect(all.every((item) => item.readAt === null && item.emailStatus === 'NONE')).toBe(true);
    // Made when the runs above made them: the clock has not moved since.
    expect(all.every((item) => item.createdAt === t.clock.now().toISOString())).toBe(true);

    const one = await page(customer.client, 4);
    expect(one.notifications.totalCount).toBe(6);
    expect(one.notifications.pageInfo.hasNextPage).toBe(true);
    expect(one.notifications.edges.map((edge) => edge.node)).toEqual(all.slice(0, 4));
    expect(one.inbox.unreadCount).toBe(6);
    const two = await page(customer.client, 4, one.notifications.pageInfo.endCursor);
    expect(two.notifications.edges.map((edge) => edge.node)).toEqual(all.slice(4));
    expect(two.notifications.pageInfo.hasNextPage).toBe(false);

    const markedAt = t.clock.now().toISOString();
    const marked = await markRead(customer.client, { ids: [all[0].id, all[3].id] });
    expect(marked).toEqual({ markNotificationsRead: { inbox: { unreadCount: 4 }, userErrors: [] } });
    const afterMarking = await inbox(customer.client);
    expect(afterMarking.map((item) => item.readAt)).toEqual([markedAt, null, null, markedAt, null, null]);
    const unread = await page(customer.client, 10, null, true);
    expect(unread.notifications.totalCount).toBe(4);
    expect(unread.notifications.edges.map((edge) => edge.node.id)).toEqual(
      [all[1], all[2], all[4], all[5]].map((item) => item.id),
    );
    const unreadPage = await page(customer.client, 3, null, true);
    expect(unreadPage.notifications.pageInfo.hasNextPage).toBe(true);
    expect(
      (
        await page(customer.client, 3, unreadPage.notifications.pageInfo.endCursor, true)
      ).notifications.edges.map((edge) => edge.node.id),
    ).toEqual([all[5].id]);

    // Marking one already read again changes nothing, its time included.
    t.clock.advance(MINUTE);
    expect(await markRead(customer.client, { ids: [all[0].id] })).toEqual({
      markNotificationsRead: { inbox: { unreadCount: 4 }, userErrors: [] },
    });
    expect((await inbox(customer.client))[0].readAt).toBe(markedAt);

    expect(await markRead(customer.client, { all: true })).toEqual({
      markNotificationsRead: { inbox: { unreadCount: 0 }, userErrors: [] },
    });
    expect((await page(customer.client, 10, null, true)).notifications.edges).toEqual([]);
    expect((await inbox(customer.client)).every((item) => item.readAt !== null)).toBe(true);
    // Another principal's inbox is untouched by "all".
    expect((await inbox(seller.client)).every((item) => item.readAt === null)).toBe(true);

    // A page of 1 to 100, after a cursor of this list.
    for (const variables of [{ first: 0 }, { first: 101 }, { first: 10, after: 'not-a-cursor' }]) {
      const response = await customer.client.post({ query: INBOX, variables });
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }

    // Naming nothing is refused.
    expect(await markRead(customer.client, {})).toEqual({
      markNotificationsRead: {
        inbox: null,
        userErrors: [{ field: ['input'], code: 'REQUIRED', message: 'name notifications, or mark all' }],
      },
    });
  });

  it('making notifications again makes no duplicate', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    await fileClaim(customer, seller.ref, { amountClaimed: usd('65.00') });
    await t.runJobs();
    expect((await t.runNotifications()).notified).toBeGreaterThan(0);
    const before = await inbox(customer.client);
    const sellerBefore = await inbox(seller.client);
    expect(await t.runNotifications()).toEqual({ notified: 0, emailed: 0 });
    expect(await inbox(customer.client)).toEqual(before);
    expect(await inbox(seller.client)).toEqual(sellerBefore);
    expect(before.map((item) => item.category)).toEqual(['PAYOUT', 'CLAIM_DECISION', 'CLAIM_RECEIVED']);
  });

  it('without a mail server nothing is queued for email: every notification reads NONE, and email is off for everyone', async () => {
    const customer = await newCustomer();
    const seller = await newSeller();
    await fileClaim(customer, seller.ref, { amountClaimed: usd('75.00') });
    await settle();
    expect((await inbox(customer.client)).map((item) => [item.emailStatus, item.emailSentAt])).toEqual([
      ['NONE', null],
      ['NONE', null],
      ['NONE', null],
    ]);
    const [row]: { count: string | number }[] = await t.orm.em
      .getConnection()
      .execute(
        `select count(*) as count from notification where email_status <> 'NONE' or email_to is not null`,
      );
    expect(Number(row.count)).toBe(0);
    const preferences = `query { notificationPreferences { emailMuted emailEnabled } }`;
    for (const client of [customer.client, seller.client, agent]) {
      expect(await gql(client, preferences)).toEqual({
        notificationPreferences: { emailMuted: [], emailEnabled: false },
      });
    }
    const update = `mutation($input: UpdateNotificationPreferencesInput!) {
      updateNotificationPreferences(input: $input) { preferences { emailMuted emailEnabled } userErrors { code } }
    }`;
    expect(
      await gql(customer.client, update, { input: { emailMuted: ['PAYOUT', 'CLAIM_DECISION', 'PAYOUT'] } }),
    ).toEqual({
      updateNotificationPreferences: {
        preferences: { emailMuted: ['CLAIM_DECISION', 'PAYOUT'], emailEnabled: false },
        userErrors: [],
      },
    });
    expect(await gql(customer.client, preferences)).toEqual({
      notificationPreferences: { emailMuted: ['CLAIM_DECISION', 'PAYOUT'], emailEnabled: false },
    });
  });
});

describe('notificationReceived', () => {
  interface Live {
    received: Notice[];
    errors: unknown[];
  }

  /** The feed's subscriptions: to wait until one has joined. */
  function feedListeners(): number {
    return t.server.services.notificationFeed.subscriberCount;
  }

  /**
   * Waits until the feed reads nothing: a wake-up of earlier work (delivered on the next turn of
   * the event loop) or a read it began may still pick up what is written next, which would hide
   * whether writing it woke the feed.
   */
  async function feedIdle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await until(() => t.server.services.notificationFeed.idle, 'the feed to be idle');
  }

  async function subscribe(role: Role, subject: string): Promise<Live> {
    const token = await issueToken(t.config.auth.jwtSecret!, { role, subject });
    const socket = createClient({
      url: t.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    sockets.push(socket);
    const live: Live = { received: [], errors: [] };
    const joined = feedListeners();
    socket.subscribe<{ notificationReceived: Notification }>(
      { query: `subscription { notificationReceived { ${NOTIFICATION_FIELDS} } }` },
      {
        next: (result) => {
          if (result.errors) live.errors.push(...result.errors);
          const item = result.data?.notificationReceived;
          if (item) {
            live.received.push(notice(item.claim, item.category, item.title, item.body));
          }
        },
        error: (error) => live.errors.push(error),
        complete: () => undefined,
      },
    );
    await until(() => feedListeners() > joined, `the ${role} subscription to join the feed`);
    return live;
  }

  /** Waits for as many notifications as `expected` holds, then compares them. */
  async function expectLive(live: Live, expected: Notice[]): Promise<void> {
    await until(() => live.received.length >= expected.length, `${expected.length} notifications live`);
    expect(live.received).toEqual(expected);
  }

  it("a subscriber receives its new notifications as they are made, and never another principal's", async () => {
    const customer = await newCustomer();
    const bystander = await newCustomer();
    const seller = await newSeller();
    const otherSeller = await newSeller();
    const customerLive = await subscribe(Role.CUSTOMER, customer.ref);
    const bystanderLive = await subscribe(Role.CUSTOMER, bystander.ref);
    const sellerLive = await subscribe(Role.SELLER, seller.ref);
    const otherSellerLive = await subscribe(Role.SELLER, otherSeller.ref);
    const agentLive = await subscribe(Role.AGENT, 'agent-live');

    const claim = await fileClaim(customer, seller.ref, { amountClaimed: usd('1800.00') });
    await notify();
    await until(() => customerLive.received.length >= 1, 'the receipt');
    expect(customerLive.received).toEqual([received(claim)]);

    await settle();
    await respond(seller.client, { claimId: claim.id, response: 'REJECT', statement: 'Misuse.' });
    await notify();
    await expectLive(customerLive, await toldTo(customer.client));
    await expectLive(sellerLive, await toldTo(seller.client));
    await expectLive(agentLive, await toldTo(agent, claim.id));
    expect(customerLive.received).toHaveLength(3);
    expect(sellerLive.received.map((item) => item.category)).toEqual(['CLAIM_NOTICE']);
    expect(agentLive.received.map((item) => item.category)).toEqual(['REVIEW_WAITING']);

    // Notifications reach subscribers in the order they are written: once the bystanders' own
    // have arrived, anything of the claim above that leaked to them would have arrived before.
    const own = await fileClaim(bystander, otherSeller.ref, { amountClaimed: usd('1100.00') });
    await settle();
    await expectLive(bystanderLive, await toldTo(bystander.client));
    await expectLive(otherSellerLive, await toldTo(otherSeller.client));
    expect(bystanderLive.received.map((item) => item.claimId)).toEqual([own.id, own.id]);
    expect(otherSellerLive.received.map((item) => item.claimId)).toEqual([own.id]);
    expect(customerLive.received).toEqual(await toldTo(customer.client));
    expect(sellerLive.received).toEqual(await toldTo(seller.client));
    for (const live of [customerLive, bystanderLive, sellerLive, otherSellerLive, agentLive]) {
      expect(live.errors).toEqual([]);
    }
  });

  it('a seller receives its cover reminder live', async () => {
    const seller = await newSeller();
    const endsAt = dayStart(40);
    const policyNumber = await verifiedPolicy(seller, iso(endsAt, -DAY).slice(0, 10));
    const live = await subscribe(Role.SELLER, seller.ref);
    // Everything else due by then first: its claim events would wake the feed on their own.
    moveTo(endsAt, -30 * DAY - 1);
    await settle();
    await feedIdle();
    moveTo(endsAt, -30 * DAY);
    await settle();
    await expectLive(live, await toldTo(seller.client));
    expect(live.received.map((item) => item.category)).toEqual(['POLICY_EXPIRING']);
    expect(live.received[0].body).toContain(policyNumber);
  });

  it('a partner insurer receives a quote request live', async () => {
    const partner = `ins-live-${serial + 1}`;
    await addProvider({ externalRef: partner, name: 'Live Partner', financialRating: 'A', vetted: true });
    const live = await subscribe(Role.INSURER, partner);
    await feedIdle();
    const seller = await newSeller();
    const { updateSellerInsuranceProfile } = await seller.client.data(UpdateSellerInsuranceProfileDocument, {
      input: {
        productCategories: ['home'],
        annualRevenue: usd('90000.00'),
        unitsSold: 900,
        yearsInBusiness: 2,
      },
    });
    expect(updateSellerInsuranceProfile.userErrors).toEqual([]);
    const { requestInsuranceQuotes } = await seller.client.data(RequestInsuranceQuotesDocument, {
      input: { idempotencyKey: key() },
    });
    expect(requestInsuranceQuotes.userErrors).toEqual([]);
    await expectLive(live, await toldTo(await t.as(Role.INSURER, partner)));
    expect(live.received.map((item) => item.category)).toEqual(['QUOTE_REQUEST']);
  });
});
