import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { ClaimDecision } from '../src/entities/claim-decision.entity';
import { Claim } from '../src/entities/claim.entity';
import { FraudReview } from '../src/entities/fraud-review.entity';
import { localIdOf, toGlobalId } from '../src/graphql/global-id';
import { CUSTOMER_REASONS } from '../src/services/screening/fraud-review.service';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import {
  type ActorRole,
  AppealClaimDocument,
  ClaimDocument,
  ClaimsDocument,
  type ClaimStatus,
  CustomerClaimEverywhereDocument,
  type EvidenceInput,
  ExpertClaimDocument,
  type ExpertClaimFragment,
  FileClaimDocument,
  type FraudFinding,
  type FraudReviewAssignment,
  FraudReviewNodeDocument,
  FraudReviewQueueDocument,
  type FraudReviewQueueQuery,
  PickFraudReviewDocument,
  type QueuedFraudReviewFragment,
  RecordOrderDocument,
  SubmitFraudReviewDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  WithdrawClaimDocument,
} from './__generated__/graphql';
import { onPostgres } from './support/database';
import { claimInput, claimTableCounts, insureSeller, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { MINUTE } from './support/time';
import { sleep } from './support/waiting';

/**
 * Referral of risky claims to independent fraud experts: the queue, picking (one expert per
 * claim), what an expert may see before and after picking, findings and their effect on the
 * claim, and refusals that must leave everything as it was. One server for the file: each test
 * makes its own claims, each by a new customer on a new product, so that no claimant history or
 * product cluster changes a score; tests that need an exact queue first empty it.
 */

/**
 * The default policy with every weight at zero but those of the three levers the tests pull
 * (at their default values): the scores below are the tests' choice, whatever else screening
 * comes to weigh.
 */
function onlyTheLevers(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+fraud-review-levers`;
  policy.referAt = 30;
  policy.highPriorityAt = 60;
  policy.filedBeforeDelivery.weight = 35;
  policy.evidenceReuse.otherCustomerWeight = 45;
  policy.amountToOrderValue.bands = [
    { atLeast: 15, weight: 10 },
    { atLeast: 40, weight: 25 },
  ];
}

let t: TestServer;
let agent: GraphQLClient;
let expertOne: GraphQLClient;
let expertTwo: GraphQLClient;

/** Evidence cust-b filed first: filing it again on another customer's claim is a risk signal. */
const DONOR_EVIDENCE: EvidenceInput = {
  kind: 'PHOTO',
  description: 'Burnt rug',
  contentHash: `sha256:${'d0'.repeat(32)}`,
  uri: 'https://files.example.com/burnt-rug.jpg',
};

const INJURY = {
  description: 'Second-degree burn on the right forearm',
  medicallyTreated: true,
  treatmentDetails: 'Dressed at an urgent care clinic',
};

beforeAll(async () => {
  t = await startTestServer({
    SCREENING_POLICY_FILE: screeningPolicyFile(onlyTheLevers),
    // Room for the requests parked behind a row lock in the PostgreSQL race tests, and for reads.
    DATABASE_POOL_MAX: '30',
  });
  const market = await seedMarketplace(t);
  await insureSeller(t, 'sell-a', 'ins-a');
  agent = await t.agent();
  expertOne = await t.as(Role.FRAUD_EXPERT, 'expert-1');
  expertTwo = await t.as(Role.FRAUD_EXPERT, 'expert-2');

  // An ordinary claim that passes screening: the first to use DONOR_EVIDENCE.
  const donor = await t.as(Role.CUSTOMER, 'cust-b');
  const { fileClaim } = await donor.data(FileClaimDocument, {
    input: claimInput(market.orders['ord-b1'].id, { evidence: [DONOR_EVIDENCE] }),
  });
  expect(fileClaim.userErrors).toEqual([]);
  await t.runJobs();
  expect((await expertClaim(agent, fileClaim.claim!.id))!.status).toBe('CLOSED');
});

afterAll(async () => {
  await t?.stop();
});

afterEach(async () => {
  // Findings pay concessions and open recoveries: the books must balance after each.
  expect(await t.ledgerBreaches()).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Referred claims

interface RiskyFiling {
  /**
   * The order was never reported delivered: FILED_BEFORE_DELIVERY, 35, enough for a referral.
   * Default true.
   */
  undelivered?: boolean;
  /** Adds DONOR_EVIDENCE: EVIDENCE_REUSED_ACROSS_CUSTOMERS, 45. */
  reusedEvidence?: boolean;
  /** Default 250.00, with an order of 100.00: 15× the order adds 10, 40× adds 25. */
  amount?: string;
  orderPrice?: string;
  sellerRef?: 'sell-a' | 'sell-b';
  injury?: boolean;
}

interface Filed {
  claimId: string;
  customerRef: string;
  customer: GraphQLClient;
}

interface Referral extends Filed {
  reviewId: string;
  referredAt: string;
}

let filings = 0;

/** Files a claim as a new customer, on a new product, on an order recorded for it alone. */
async function fileRisky(options: RiskyFiling = {}): Promise<Filed> {
  filings += 1;
  const customerRef = `cust-fr-${filings}`;
  const price = { amount: options.orderPrice ?? '100.00', currencyCode: 'USD' };
  await agent.data(UpsertCustomerDocument, {
    input: { externalRef: customerRef, name: `Claimant ${filings}`, email: `${customerRef}@example.com` },
  });
  await agent.data(UpsertProductDocument, {
    input: { externalRef: `prod-fr-${filings}`, name: `Product ${filings}`, category: 'home', price },
  });
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-fr-${filings}`,
      customerRef,
      sellerRef: options.sellerRef ?? 'sell-a',
      productRef: `prod-fr-${filings}`,
      quantity: 1,
      price,
      purchasedAt: '2026-05-01T10:00:00.000Z',
      ...((options.undelivered ?? true) ? {} : { deliveredAt: '2026-05-04T15:00:00.000Z' }),
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const input = claimInput(recordOrder.order!.id, {
    amountClaimed: { amount: options.amount ?? '250.00', currencyCode: 'USD' },
    ...(options.injury ? { kinds: ['PERSONAL_INJURY' as const], injuryDetails: INJURY } : {}),
  });
  if (options.reusedEvidence) input.evidence = [...input.evidence!, DONOR_EVIDENCE];
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, { input });
  expect(fileClaim.userErrors).toEqual([]);
  return { claimId: fileClaim.claim!.id, customerRef, customer };
}

/** Screens every filed claim at the current time; each must be referred. */
async function screen(filed: Filed[]): Promise<Referral[]> {
  const referredAt = t.clock.now().toISOString();
  await t.runJobs();
  const referrals: Referral[] = [];
  for (const claim of filed) {
    const seen = await expertClaim(agent, claim.claimId);
    expect(seen).toMatchObject({ status: 'EXPERT_REVIEW', fraudReview: { status: 'QUEUED' } });
    referrals.push({ ...claim, reviewId: seen!.fraudReview!.id, referredAt });
  }
  return referrals;
}

/** A claim referred one minute after the previous one, so that referral times differ. */
async function refer(options: RiskyFiling = {}): Promise<Referral> {
  t.clock.advance(MINUTE);
  const [referral] = await screen([await fileRisky(options)]);
  return referral;
}

async function expertClaim(client: GraphQLClient, claimId: string): Promise<ExpertClaimFragment | null> {
  return (await client.data(ExpertClaimDocument, { id: claimId })).claim;
}

async function reviewNode(
  client: GraphQLClient,
  reviewId: string,
): Promise<QueuedFraudReviewFragment | null> {
  const { node } = await client.data(FraudReviewNodeDocument, { id: reviewId });
  return node as QueuedFraudReviewFragment | null;
}

/** The whole queue as `client` sees it, in one page. */
async function queueOf(
  client: GraphQLClient,
  assignment: FraudReviewAssignment = 'UNASSIGNED',
): Promise<QueuedFraudReviewFragment[]> {
  const { fraudReviewQueue } = await client.data(FraudReviewQueueDocument, { first: 100, assignment });
  expect(fraudReviewQueue.totalCount).toBe(fraudReviewQueue.edges.length);
  return fraudReviewQueue.edges.map((edge) => edge.node);
}

async function queuedIds(
  client: GraphQLClient,
  assignment: FraudReviewAssignment = 'UNASSIGNED',
): Promise<string[]> {
  return (await queueOf(client, assignment)).map((review) => review.id);
}

let sweeps = 0;

/** Empties the unassigned queue: an expert of its own picks every review left in it. */
async function drainQueue(): Promise<void> {
  sweeps += 1;
  const sweeper = await t.as(Role.FRAUD_EXPERT, `sweeper-${sweeps}`);
  for (;;) {
    const { pickFraudReview } = await sweeper.data(PickFraudReviewDocument, { input: {} });
    if (!pickFraudReview.review) break;
  }
  expect(await queuedIds(agent)).toEqual([]);
}

async function pick(client: GraphQLClient, reviewId?: string) {
  return (await client.data(PickFraudReviewDocument, { input: reviewId ? { reviewId } : {} }))
    .pickFraudReview;
}

let keys = 0;

async function submit(
  client: GraphQLClient,
  claimId: string,
  finding: FraudFinding,
  rationale: string,
  idempotencyKey?: string,
) {
  keys += 1;
  const { submitFraudReview } = await client.data(SubmitFraudReviewDocument, {
    input: { claimId, finding, rationale, idempotencyKey: idempotencyKey ?? `finding-${keys}` },
  });
  return submitFraudReview;
}

/** Each response's one userError code, or OK; fails on top-level errors. */
function outcomes(
  responses: GraphQLResponse<{ pickFraudReview: { userErrors: { code: string }[] } }>[],
): string[] {
  return responses.map((response) => {
    expect(response.errors).toBeUndefined();
    const { userErrors } = response.data!.pickFraudReview;
    return userErrors.length === 0 ? 'OK' : userErrors.map((error) => error.code).join(',');
  });
}

function tally(codes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/** Who holds each review, read from the database (the API shows it only to the holder). */
async function holderOf(reviewId: string): Promise<string | null> {
  const review = await t.orm.em.fork().findOneOrFail(FraudReview, localIdOf(reviewId, 'FraudReview')!);
  return review.expertSubject ?? null;
}

/** Everything a refused submission could have touched. */
async function stateOf(claimId: string) {
  const id = localIdOf(claimId, 'Claim')!;
  const em = t.orm.em.fork();
  return {
    claim: await expertClaim(agent, claimId),
    version: (await em.findOneOrFail(Claim, id)).version,
    decisions: await em.count(ClaimDecision, { claim: id }),
    review: await em
      .findOneOrFail(
        FraudReview,
        { claim: id },
        {
          fields: ['status', 'expertSubject', 'assignedAt', 'finding', 'rationale', 'decidedAt'],
        },
      )
      .then(({ status, expertSubject, assignedAt, finding, rationale, decidedAt }) => ({
        status,
        expertSubject,
        assignedAt,
        finding,
        rationale,
        decidedAt,
      })),
    tables: await claimTableCounts(t),
  };
}

// ---------------------------------------------------------------------------------------------
// Timelines and decisions

interface Step {
  type: string;
  actorRole: ActorRole;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus | null;
}

function moved(actorRole: ActorRole, fromStatus: ClaimStatus, toStatus: ClaimStatus): Step {
  return { type: 'STATUS_CHANGED', actorRole, fromStatus, toStatus };
}

function event(type: string, actorRole: ActorRole = 'SYSTEM'): Step {
  return { type, actorRole, fromStatus: null, toStatus: null };
}

/** The claim's steps, checking that they follow each other from sequence `from` (1: the whole timeline). */
function stepsOf(claim: ExpertClaimFragment, from = 1): Step[] {
  expect(claim.timeline.map((entry) => entry.sequence)).toEqual(
    claim.timeline.map((_, index) => index + from),
  );
  return claim.timeline.map(({ type, actorRole, fromStatus, toStatus }) => ({
    type,
    actorRole,
    fromStatus,
    toStatus,
  }));
}

const REFERRED: Step[] = [
  { type: 'CLAIM_FILED', actorRole: 'CUSTOMER', fromStatus: null, toStatus: 'SUBMITTED' },
  moved('SYSTEM', 'SUBMITTED', 'SCREENING'),
  moved('SYSTEM', 'SCREENING', 'EXPERT_REVIEW'),
];

/** The pick: the first event the expert receives. */
const PICKED = event('EXPERT_ASSIGNED', 'FRAUD_EXPERT');

/**
 * The expert reads the claim's events from its pick to its finding; agents read them all, and
 * everything else alike.
 */
async function expectExpertAndAgentViews(expertView: ExpertClaimFragment, afterPick: Step[]): Promise<void> {
  expect(stepsOf(expertView, REFERRED.length + 1)).toEqual([PICKED, ...afterPick]);
  const agentView = (await expertClaim(agent, expertView.id))!;
  expect(stepsOf(agentView)).toEqual([...REFERRED, PICKED, ...afterPick]);
  expect({ ...agentView, timeline: expertView.timeline }).toEqual(expertView);
}

function referredDecision(referral: Referral) {
  return {
    kind: 'REFERRED_TO_EXPERT',
    decidedByRole: 'SYSTEM',
    reason: 'referred to an independent expert for review',
    decidedAt: referral.referredAt,
  };
}

function foundValid(decidedAt: string) {
  return {
    kind: 'FOUND_VALID_BY_EXPERT',
    decidedByRole: 'FRAUD_EXPERT',
    reason: 'an independent expert found the claim possibly valid',
    decidedAt,
  };
}

// ---------------------------------------------------------------------------------------------

describe('the review queue', () => {
  /** In the order the queue must list them. */
  let expected: Referral[];

  beforeAll(async () => {
    await drainQueue();
    const a35 = await refer();
    const b80 = await refer({ reusedEvidence: true });
    const c35 = await refer();
    const d60 = await refer({ orderPrice: '6.00' });
    const e80 = await refer({ reusedEvidence: true });
    const f45 = await refer({ undelivered: false, reusedEvidence: true });
    // Screened in one run, at one instant: the review id settles their order.
    t.clock.advance(MINUTE);
    const [g35, h35] = await screen([await fileRisky(), await fileRisky()]);
    expected = [b80, e80, d60, f45, a35, c35, g35, h35];
  });

  it('lists the riskiest first, then the longest waiting, then the first referred', async () => {
    const queue = await queueOf(expertOne);
    expect(
      queue.map(({ id, riskScore, priority, referredAt }) => ({ id, riskScore, priority, referredAt })),
    ).toEqual([
      { id: expected[0].reviewId, riskScore: 80, priority: 'HIGH', referredAt: expected[0].referredAt },
      { id: expected[1].reviewId, riskScore: 80, priority: 'HIGH', referredAt: expected[1].referredAt },
      { id: expected[2].reviewId, riskScore: 60, priority: 'HIGH', referredAt: expected[2].referredAt },
      { id: expected[3].reviewId, riskScore: 45, priority: 'NORMAL', referredAt: expected[3].referredAt },
      { id: expected[4].reviewId, riskScore: 35, priority: 'NORMAL', referredAt: expected[4].referredAt },
      { id: expected[5].reviewId, riskScore: 35, priority: 'NORMAL', referredAt: expected[5].referredAt },
      { id: expected[6].reviewId, riskScore: 35, priority: 'NORMAL', referredAt: expected[6].referredAt },
      { id: expected[7].reviewId, riskScore: 35, priority: 'NORMAL', referredAt: expected[6].referredAt },
    ]);
    // The tie on score and time is broken by the review id, oldest first.
    expect(localIdOf(expected[6].reviewId, 'FraudReview')!).toBeLessThan(
      localIdOf(expected[7].reviewId, 'FraudReview')!,
    );
    // Agents see the same queue, in the same order.
    expect(await queuedIds(agent)).toEqual(expected.map((referral) => referral.reviewId));
  });

  it.each([1, 2, 3, 7, 8, 100])('pages of %i walk it without gap or repeat', async (first) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const response: FraudReviewQueueQuery = await expertOne.data(FraudReviewQueueDocument, {
        first,
        after,
      });
      const { totalCount, pageInfo, edges } = response.fraudReviewQueue;
      expect(totalCount).toBe(expected.length);
      expect(edges.length).toBe(Math.min(first, expected.length - seen.length));
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      seen.push(...edges.map((edge) => edge.node.id));
      expect(pageInfo.hasNextPage).toBe(seen.length < expected.length);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor!;
    }
    expect(seen).toEqual(expected.map((referral) => referral.reviewId));
  });

  it.each([0, -1, 101])('first = %i is refused as BAD_USER_INPUT', async (first) => {
    expect(await expertOne.execute(FraudReviewQueueDocument, { first })).toEqual({
      status: 200,
      data: null,
      errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })],
      extensions: expect.anything(),
    });
  });

  it("refuses a cursor of another assignment's ordering, of the claims list, or made up", async () => {
    const { fraudReviewQueue } = await expertOne.data(FraudReviewQueueDocument, {
      first: 2,
      assignment: 'UNASSIGNED',
    });
    const cursor = fraudReviewQueue.pageInfo.endCursor!;
    // The cursor is good where it came from.
    const next = await expertOne.data(FraudReviewQueueDocument, {
      first: 2,
      after: cursor,
      assignment: 'UNASSIGNED',
    });
    expect(next.fraudReviewQueue.edges.map((edge) => edge.node.id)).toEqual([
      expected[2].reviewId,
      expected[3].reviewId,
    ]);

    const { claims } = await agent.data(ClaimsDocument, { first: 1 });
    const refused = [
      [expertOne, cursor, 'MINE'],
      [expertOne, cursor, 'ALL'],
      [agent, cursor, 'ALL'],
      [agent, claims.pageInfo.endCursor!, 'UNASSIGNED'],
      [expertOne, 'not-a-cursor', 'UNASSIGNED'],
      [
        expertOne,
        Buffer.from(JSON.stringify(['QUEUE:UNASSIGNED', 'x', 'y', 1])).toString('base64url'),
        'UNASSIGNED',
      ],
    ] as const;
    for (const [client, after, assignment] of refused) {
      const response = await client.execute(FraudReviewQueueDocument, { first: 2, after, assignment });
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      ]);
    }
  });

  it.each([
    [Role.CUSTOMER, 'cust-a'],
    [Role.SELLER, 'sell-a'],
    [Role.INSURER, 'ins-a'],
  ])('is FORBIDDEN to a %s', async (role, subject) => {
    const client = await t.as(role, subject);
    const response = await client.execute(FraudReviewQueueDocument, { first: 10 });
    expect(response.data).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('is UNAUTHENTICATED without a token', async () => {
    const response = await t.anonymous().execute(FraudReviewQueueDocument, { first: 10 });
    expect(response.data).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('what an expert sees', () => {
  let referral: Referral;
  /** The review as any expert sees it in the queue, before anyone picks it. */
  let queued: QueuedFraudReviewFragment;

  beforeAll(async () => {
    referral = await refer({ injury: true });
  });

  it('before picking: risk, priority, signals, amount and kinds, but neither the claim nor a rationale', async () => {
    queued = (await queueOf(expertOne)).find((review) => review.id === referral.reviewId)!;
    expect(queued).toEqual({
      id: referral.reviewId,
      status: 'QUEUED',
      priority: 'NORMAL',
      riskScore: 35,
      referredAt: referral.referredAt,
      assignedAt: null,
      assignedToMe: false,
      finding: null,
      rationale: null,
      decidedAt: null,
      amountClaimed: { amount: '250.00', currencyCode: 'USD' },
      kinds: ['PERSONAL_INJURY'],
      screening: {
        outcome: 'REFER',
        riskScore: 35,
        priority: 'NORMAL',
        signals: expect.arrayContaining([
          { code: 'FILED_BEFORE_DELIVERY', category: 'CUSTOMER_RISK', weight: 35 },
        ]),
      },
      claim: null,
    });
    // Signals that weigh nothing may come with it; the score is the sum of those that do.
    expect(queued.screening!.signals.filter((signal) => signal.weight > 0)).toEqual([
      { code: 'FILED_BEFORE_DELIVERY', category: 'CUSTOMER_RISK', weight: 35 },
    ]);
    expect(await reviewNode(expertOne, referral.reviewId)).toEqual(queued);
    // The claim itself stays out of reach until the expert takes the review.
    expect(await expertClaim(expertOne, referral.claimId)).toBeNull();
    expect((await expertOne.data(ClaimsDocument, { first: 100 })).claims.totalCount).toBe(0);
  });

  it("after picking: the claim with its injury details, and in the expert's claims", async () => {
    const picked = await pick(expertOne, referral.reviewId);
    const assignedAt = t.clock.now().toISOString();
    expect(picked).toEqual({
      review: {
        ...queued,
        status: 'IN_REVIEW',
        assignedAt,
        assignedToMe: true,
        claim: {
          id: referral.claimId,
          status: 'EXPERT_REVIEW',
          kinds: ['PERSONAL_INJURY'],
          injuryDetails: INJURY,
        },
      },
      userErrors: [],
    });
    expect(await reviewNode(expertOne, referral.reviewId)).toEqual(picked.review);
    expect(await expertClaim(expertOne, referral.claimId)).toMatchObject({
      id: referral.claimId,
      status: 'EXPERT_REVIEW',
      injuryDetails: INJURY,
      screening: { riskScore: 35, priority: 'NORMAL' },
      fraudReview: {
        id: referral.reviewId,
        status: 'IN_REVIEW',
        finding: null,
        rationale: null,
        assignedAt,
        decidedAt: null,
      },
    });
    const { claims } = await expertOne.data(ClaimsDocument, { first: 100 });
    expect({ totalCount: claims.totalCount, ids: claims.edges.map((edge) => edge.node.id) }).toEqual({
      totalCount: 1,
      ids: [referral.claimId],
    });
  });

  it('another expert sees neither the claim nor the review once it is picked', async () => {
    expect(await expertClaim(expertTwo, referral.claimId)).toBeNull();
    expect(await reviewNode(expertTwo, referral.reviewId)).toBeNull();
    expect(await queuedIds(expertTwo, 'ALL')).not.toContain(referral.reviewId);
    expect((await expertTwo.data(ClaimsDocument, { first: 100 })).claims.totalCount).toBe(0);
  });

  it('the customer, the seller and its insurer see no screening and no review', async () => {
    const own = await expertClaim(referral.customer, referral.claimId);
    expect(own).toMatchObject({
      status: 'EXPERT_REVIEW',
      injuryDetails: INJURY,
      screening: null,
      fraudReview: null,
    });
    expect(await reviewNode(referral.customer, referral.reviewId)).toBeNull();
    for (const [role, subject] of [
      [Role.SELLER, 'sell-a'],
      [Role.INSURER, 'ins-a'],
    ] as const) {
      const client = await t.as(role, subject);
      // Not released to the seller: screening is not over.
      expect(await expertClaim(client, referral.claimId)).toBeNull();
      expect(await reviewNode(client, referral.reviewId)).toBeNull();
    }
  });
});

describe('picking', () => {
  let low: Referral;
  let high: Referral;
  let middle: Referral;
  let picker: GraphQLClient;
  let other: GraphQLClient;

  beforeAll(async () => {
    picker = await t.as(Role.FRAUD_EXPERT, 'expert-picker');
    other = await t.as(Role.FRAUD_EXPERT, 'expert-other');
    await drainQueue();
    low = await refer();
    high = await refer({ reusedEvidence: true });
    middle = await refer({ undelivered: false, reusedEvidence: true });
  });

  it('without a review id takes the head of the queue, which leaves UNASSIGNED for MINE', async () => {
    const { review, userErrors } = await pick(picker);
    expect(userErrors).toEqual([]);
    expect(review).toMatchObject({
      id: high.reviewId,
      status: 'IN_REVIEW',
      riskScore: 80,
      assignedToMe: true,
      assignedAt: t.clock.now().toISOString(),
    });
    expect(await queuedIds(picker)).toEqual([middle.reviewId, low.reviewId]);
    expect(await queuedIds(picker, 'MINE')).toEqual([high.reviewId]);
    expect(await queuedIds(picker, 'ALL')).toEqual([high.reviewId, middle.reviewId, low.reviewId]);
    expect(await queuedIds(other, 'MINE')).toEqual([]);
    expect(await queuedIds(other, 'ALL')).toEqual([middle.reviewId, low.reviewId]);
    expect(await queuedIds(agent, 'ALL')).toContain(high.reviewId);
    expect(await holderOf(high.reviewId)).toBe('expert-picker');
  });

  it("picking one's own review again returns it, unchanged and without error", async () => {
    const before = await reviewNode(picker, high.reviewId);
    t.clock.advance(MINUTE);
    expect(await pick(picker, high.reviewId)).toEqual({ review: before, userErrors: [] });
    expect(await reviewNode(picker, high.reviewId)).toEqual(before);
  });

  it('a second expert gets ALREADY_ASSIGNED, and nothing changes', async () => {
    const before = await reviewNode(agent, high.reviewId);
    expect(await pick(other, high.reviewId)).toEqual({
      review: null,
      userErrors: [{ field: ['input', 'reviewId'], code: 'ALREADY_ASSIGNED', message: expect.any(String) }],
    });
    expect(await reviewNode(agent, high.reviewId)).toEqual(before);
    expect(await holderOf(high.reviewId)).toBe('expert-picker');
    expect(await queuedIds(other, 'MINE')).toEqual([]);
    expect(await expertClaim(other, high.claimId)).toBeNull();
  });

  it.each([
    ['a review that does not exist', () => toGlobalId('FraudReview', 999_999)],
    ["another type's id (the claim's)", () => high.claimId],
    ['a made-up id', () => 'not-an-id'],
  ])('%s is NOT_FOUND', async (_name, reviewId) => {
    expect(await pick(other, reviewId())).toEqual({
      review: null,
      userErrors: [{ field: ['input', 'reviewId'], code: 'NOT_FOUND', message: expect.any(String) }],
    });
  });

  it('an empty queue answers NOTHING_TO_REVIEW', async () => {
    await drainQueue();
    expect(await pick(other)).toEqual({
      review: null,
      userErrors: [{ field: ['input'], code: 'NOTHING_TO_REVIEW', message: expect.any(String) }],
    });
    expect(await queuedIds(other, 'MINE')).toEqual([]);
  });
});

describe('experts picking at the same time', () => {
  const experts = (count: number, prefix: string) =>
    Promise.all(Array.from({ length: count }, (_, i) => t.as(Role.FRAUD_EXPERT, `${prefix}-${i}`)));

  it('ten experts picking the same review: one gets it, nine are told it is taken', async () => {
    const referral = await refer();
    const clients = await experts(10, 'racer');

    const responses = await Promise.all(
      clients.map((client) =>
        client.execute(PickFraudReviewDocument, { input: { reviewId: referral.reviewId } }),
      ),
    );

    const codes = outcomes(responses);
    expect(tally(codes)).toEqual({ OK: 1, ALREADY_ASSIGNED: 9 });
    const winner = codes.indexOf('OK');
    expect(await holderOf(referral.reviewId)).toBe(`racer-${winner}`);
    for (const [i, client] of clients.entries()) {
      expect(await queuedIds(client, 'MINE')).toEqual(i === winner ? [referral.reviewId] : []);
    }
  });

  it('ten experts taking the head of a queue of twelve: each gets its own review, the ten riskiest', async () => {
    await drainQueue();
    const queue: Referral[] = [];
    for (let i = 0; i < 12; i += 1)
      queue.push(await refer({ reusedEvidence: i % 3 === 0, orderPrice: i % 2 === 0 ? '100.00' : '10.00' }));
    const order = await queuedIds(agent);
    expect([...order].sort()).toEqual(queue.map((referral) => referral.reviewId).sort());
    const clients = await experts(10, 'head');

    const responses = await Promise.all(
      clients.map((client) => client.execute(PickFraudReviewDocument, { input: {} })),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 10 });
    const taken = responses.map((response) => response.data!.pickFraudReview.review!.id);
    expect(new Set(taken).size).toBe(10);
    expect([...taken].sort()).toEqual(order.slice(0, 10).sort());
    expect(await queuedIds(agent)).toEqual(order.slice(10));
    for (const [i, client] of clients.entries()) {
      expect(await queuedIds(client, 'MINE')).toEqual([taken[i]]);
      expect(await holderOf(taken[i])).toBe(`head-${i}`);
    }
  });

  it('more experts than reviews: every review is taken once, the others find nothing to review', async () => {
    await drainQueue();
    const queue: Referral[] = [];
    for (let i = 0; i < 4; i += 1) queue.push(await refer());
    const clients = await experts(10, 'crowd');

    const responses = await Promise.all(
      clients.map((client) => client.execute(PickFraudReviewDocument, { input: {} })),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 4, NOTHING_TO_REVIEW: 6 });
    const taken = responses.flatMap((response) => response.data!.pickFraudReview.review?.id ?? []);
    expect([...taken].sort()).toEqual(queue.map((referral) => referral.reviewId).sort());
    expect(await queuedIds(agent)).toEqual([]);
  });
});

/** Sessions of the test database waiting for a lock. */
async function lockWaiters(): Promise<number> {
  const { rows } = await (t.orm.em.getConnection() as AbstractSqlConnection)
    .getKnex()
    .raw(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
  return (rows as { waiting: number }[])[0].waiting;
}

/**
 * Holds the review's row lock while `start` runs, until `sessions` requests wait on it, then lets
 * them go. Reads are not blocked, so every request has read the review as QUEUED before any can
 * write: the race is certain, not a matter of timing.
 */
async function behindReviewLock<R>(reviewId: string, sessions: number, start: () => Promise<R>): Promise<R> {
  const trx = await (t.orm.em.getConnection() as AbstractSqlConnection).getKnex().transaction();
  try {
    await trx.raw('select id from fraud_review where id = ? for update', [
      localIdOf(reviewId, 'FraudReview'),
    ]);
    const pending = start();
    // Keeps a rejection from being reported as unhandled while the lock is still held.
    pending.catch(() => undefined);
    let waiting = 0;
    for (let waited = 0; waited < 5000 && waiting < sessions; waited += 10) {
      await sleep(10);
      waiting = await lockWaiters();
    }
    if (waiting < sessions)
      throw new Error(`only ${waiting} of ${sessions} requests queued on the review's lock`);
    await trx.commit();
    return await pending;
  } catch (error) {
    if (!trx.isCompleted()) await trx.rollback();
    throw error;
  }
}

// Only PostgreSQL has row locks to line the requests up with.
describe.runIf(onPostgres)('experts who all read the queue before any of them writes', () => {
  const experts = (count: number, prefix: string) =>
    Promise.all(Array.from({ length: count }, (_, i) => t.as(Role.FRAUD_EXPERT, `${prefix}-${i}`)));

  it('ten experts picking the same review: one gets it, nine are told it is taken', async () => {
    const referral = await refer();
    const clients = await experts(10, 'locked-racer');

    const responses = await behindReviewLock(referral.reviewId, 10, () =>
      Promise.all(
        clients.map((client) =>
          client.execute(PickFraudReviewDocument, { input: { reviewId: referral.reviewId } }),
        ),
      ),
    );

    const codes = outcomes(responses);
    expect(tally(codes)).toEqual({ OK: 1, ALREADY_ASSIGNED: 9 });
    expect(await holderOf(referral.reviewId)).toBe(`locked-racer-${codes.indexOf('OK')}`);
  });

  it('ten experts taking the head of a queue of ten: each gets its own review', async () => {
    await drainQueue();
    const queue: Referral[] = [];
    for (let i = 0; i < 10; i += 1) queue.push(await refer());
    const clients = await experts(10, 'locked-head');

    const responses = await behindReviewLock(queue[0].reviewId, 10, () =>
      Promise.all(clients.map((client) => client.execute(PickFraudReviewDocument, { input: {} }))),
    );

    expect(tally(outcomes(responses))).toEqual({ OK: 10 });
    const taken = responses.map((response) => response.data!.pickFraudReview.review!.id);
    expect([...taken].sort()).toEqual(queue.map((referral) => referral.reviewId).sort());
    for (const [i, reviewId] of taken.entries()) expect(await holderOf(reviewId)).toBe(`locked-head-${i}`);
    expect(await queuedIds(agent)).toEqual([]);
  });
});

describe('findings', () => {
  let rationales = 0;

  /** An expert's rationale no one but agents and the expert may ever read. */
  function secretRationale(): string {
    rationales += 1;
    return `Internal note ${rationales}-7c1e: the listing photos match a 2019 claim elsewhere.`;
  }

  /** Fails if the customer can read `text` anywhere it can reach its claim. */
  async function expectHiddenFromCustomer(referral: Referral, text: string): Promise<void> {
    const response = await referral.customer.execute(CustomerClaimEverywhereDocument, {
      id: referral.claimId,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.claim).toMatchObject({ id: referral.claimId, screening: null, fraudReview: null });
    expect(response.data!.claims.edges.map((edge) => edge.node.id)).toEqual([referral.claimId]);
    expect(response.data!.node).toMatchObject({ id: referral.claimId });
    expect(JSON.stringify(response)).not.toContain(text);
  }

  it.each([
    {
      route: 'below the threshold, insured seller: paid as a concession and closed',
      filing: { amount: '250.00' },
      status: 'CLOSED',
      routed: {
        kind: 'ROUTED_TO_CONCESSION',
        decidedByRole: 'SYSTEM',
        reason: '250.00 USD is below the concession threshold of 1000.00 USD',
      },
      steps: [
        moved('FRAUD_EXPERT', 'EXPERT_REVIEW', 'APPROVED_CONCESSION'),
        event('PAYOUT_COMPLETED'),
        moved('SYSTEM', 'APPROVED_CONCESSION', 'PAID'),
        event('SELLER_NOTIFIED'),
        moved('SYSTEM', 'PAID', 'CLOSED'),
      ],
      money: {
        payout: {
          payer: 'MARKETPLACE',
          status: 'COMPLETED',
          amount: { amount: '250.00', currencyCode: 'USD' },
        },
        recovery: null,
      },
    },
    {
      route: 'below the threshold, uninsured seller: paid, with a recovery',
      filing: { amount: '250.00', sellerRef: 'sell-b' as const },
      status: 'PAID',
      routed: {
        kind: 'ROUTED_TO_CONCESSION',
        decidedByRole: 'SYSTEM',
        reason: '250.00 USD is below the concession threshold of 1000.00 USD',
      },
      steps: [
        moved('FRAUD_EXPERT', 'EXPERT_REVIEW', 'APPROVED_CONCESSION'),
        event('PAYOUT_COMPLETED'),
        moved('SYSTEM', 'APPROVED_CONCESSION', 'PAID'),
        event('SELLER_NOTIFIED'),
        event('RECOVERY_OPENED'),
      ],
      money: {
        payout: {
          payer: 'MARKETPLACE',
          status: 'COMPLETED',
          amount: { amount: '250.00', currencyCode: 'USD' },
        },
        recovery: { debtor: 'SELLER', status: 'AWAITING_PROOF' },
      },
    },
    {
      route: 'at the threshold: the seller and its insurer must respond',
      filing: { amount: '1000.00', orderPrice: '1000.00' },
      status: 'AWAITING_SELLER',
      routed: {
        kind: 'ROUTED_TO_SELLER',
        decidedByRole: 'SYSTEM',
        reason: '1000.00 USD is at or above the concession threshold: the seller must respond',
      },
      steps: [
        moved('FRAUD_EXPERT', 'EXPERT_REVIEW', 'AWAITING_SELLER'),
        event('SELLER_NOTIFIED'),
        event('INSURER_NOTIFIED'),
      ],
      money: { payout: null, recovery: null },
    },
  ])('VALID, $route', async ({ filing, status, routed, steps, money }) => {
    const referral = await refer(filing);
    expect((await pick(expertOne, referral.reviewId)).userErrors).toEqual([]);
    t.clock.advance(MINUTE);
    const decidedAt = t.clock.now().toISOString();
    const rationale = secretRationale();

    const { claim, userErrors } = await submit(expertOne, referral.claimId, 'VALID', rationale);

    expect(userErrors).toEqual([]);
    expect(claim).toMatchObject({ id: referral.claimId, status, denialReason: null, ...money });
    expect(claim!.decisions).toEqual([
      referredDecision(referral),
      foundValid(decidedAt),
      { ...routed, decidedAt },
    ]);
    await expectExpertAndAgentViews(claim!, steps);
    expect(claim!.fraudReview).toEqual({
      id: referral.reviewId,
      status: 'DECIDED',
      finding: 'VALID',
      rationale,
      assignedAt: expect.any(String),
      decidedAt,
    });

    // Judged possibly valid: now the seller hears of it, without the expert's reasoning.
    const seller = await t.as(Role.SELLER, filing.sellerRef ?? 'sell-a');
    const sellerView = await seller.execute(ExpertClaimDocument, { id: referral.claimId });
    expect(sellerView.data!.claim).toMatchObject({
      id: referral.claimId,
      status,
      screening: null,
      fraudReview: null,
      injuryDetails: null,
    });
    expect(JSON.stringify(sellerView)).not.toContain(rationale);
    await expectHiddenFromCustomer(referral, rationale);
  });

  it.each(['UNSUBSTANTIATED', 'FRIVOLOUS', 'ABUSIVE', 'FRAUDULENT'] as const)(
    '%s denies the claim with the standard reason, never the rationale, and the seller hears nothing',
    async (finding) => {
      const referral = await refer();
      expect((await pick(expertOne, referral.reviewId)).userErrors).toEqual([]);
      t.clock.advance(MINUTE);
      const decidedAt = t.clock.now().toISOString();
      const rationale = secretRationale();
      const reason = CUSTOMER_REASONS[finding];

      const { claim, userErrors } = await submit(expertOne, referral.claimId, finding, rationale);

      expect(userErrors).toEqual([]);
      expect(claim).toMatchObject({
        id: referral.claimId,
        status: 'DENIED',
        route: null,
        denialReason: reason,
        payout: null,
        recovery: null,
      });
      expect(claim!.decisions).toEqual([
        referredDecision(referral),
        { kind: 'DENIED_BY_EXPERT', decidedByRole: 'FRAUD_EXPERT', reason, decidedAt },
      ]);
      await expectExpertAndAgentViews(claim!, [moved('FRAUD_EXPERT', 'EXPERT_REVIEW', 'DENIED')]);
      expect(claim!.fraudReview).toEqual({
        id: referral.reviewId,
        status: 'DECIDED',
        finding,
        rationale,
        assignedAt: expect.any(String),
        decidedAt,
      });

      const own = await expertClaim(referral.customer, referral.claimId);
      expect(own).toMatchObject({ status: 'DENIED', denialReason: reason });
      expect(own!.decisions.at(-1)).toEqual({
        kind: 'DENIED_BY_EXPERT',
        decidedByRole: 'FRAUD_EXPERT',
        reason,
        decidedAt,
      });
      await expectHiddenFromCustomer(referral, rationale);

      // Never released: neither the seller nor its insurer can find the claim.
      for (const [role, subject] of [
        [Role.SELLER, 'sell-a'],
        [Role.INSURER, 'ins-a'],
      ] as const) {
        const client = await t.as(role, subject);
        expect(await client.data(ClaimDocument, { id: referral.claimId })).toEqual({ claim: null });
        const { claims } = await client.data(ClaimsDocument, { first: 100 });
        expect(claims.edges.map((edge) => edge.node.id)).not.toContain(referral.claimId);
      }
      const stored = await t.orm.em.fork().findOneOrFail(Claim, localIdOf(referral.claimId, 'Claim')!);
      expect(stored.releasedToSellerAt ?? null).toBeNull();
    },
  );

  it('the customer may appeal an expert denial with new evidence', async () => {
    const referral = await refer();
    await pick(expertOne, referral.reviewId);
    expect((await submit(expertOne, referral.claimId, 'FRAUDULENT', secretRationale())).claim!.status).toBe(
      'DENIED',
    );
    const evidence: EvidenceInput = {
      kind: 'DOCUMENT',
      description: 'Delivery confirmation from the carrier',
      contentHash: `sha256:${'a1'.repeat(32)}`,
      uri: 'https://files.example.com/delivery.pdf',
    };

    const { appealClaim } = await referral.customer.data(AppealClaimDocument, {
      input: {
        claimId: referral.claimId,
        statement: 'The order was delivered; here is the proof.',
        evidence: [evidence],
      },
    });

    expect(appealClaim.userErrors).toEqual([]);
    expect(appealClaim.claim).toMatchObject({ status: 'MARKETPLACE_REVIEW', denialReason: null });
    expect(appealClaim.claim!.decisions.map((decision) => decision.kind)).toEqual([
      'REFERRED_TO_EXPERT',
      'DENIED_BY_EXPERT',
      'APPEALED',
    ]);
  });
});

describe('refused findings write nothing', () => {
  it('on a review nobody picked: the claim is invisible to the expert, CLAIM_NOT_FOUND', async () => {
    const referral = await refer();
    const before = await stateOf(referral.claimId);

    expect(await submit(expertOne, referral.claimId, 'FRAUDULENT', 'Looks staged.')).toEqual({
      claim: null,
      userErrors: [{ field: ['input', 'claimId'], code: 'CLAIM_NOT_FOUND', message: expect.any(String) }],
    });
    expect(await stateOf(referral.claimId)).toEqual(before);
  });

  it("on another expert's review: CLAIM_NOT_FOUND as well", async () => {
    const referral = await refer();
    await pick(expertTwo, referral.reviewId);
    const before = await stateOf(referral.claimId);

    expect(await submit(expertOne, referral.claimId, 'VALID', 'Genuine.')).toEqual({
      claim: null,
      userErrors: [{ field: ['input', 'claimId'], code: 'CLAIM_NOT_FOUND', message: expect.any(String) }],
    });
    expect(await stateOf(referral.claimId)).toEqual(before);
    expect(before.claim!.fraudReview!.status).toBe('IN_REVIEW');
  });

  it('an empty, blank or too long rationale is a userError on input.rationale; 5,000 characters are accepted', async () => {
    const referral = await refer();
    await pick(expertOne, referral.reviewId);
    const before = await stateOf(referral.claimId);

    for (const [rationale, code] of [
      ['', 'REQUIRED'],
      ['   \n ', 'REQUIRED'],
      ['x'.repeat(5001), 'TOO_LONG'],
    ] as const) {
      expect(await submit(expertOne, referral.claimId, 'FRAUDULENT', rationale)).toEqual({
        claim: null,
        userErrors: [{ field: ['input', 'rationale'], code, message: expect.any(String) }],
      });
    }
    expect(await stateOf(referral.claimId)).toEqual(before);

    const longest = 'y'.repeat(5000);
    const { claim, userErrors } = await submit(expertOne, referral.claimId, 'FRAUDULENT', longest);
    expect(userErrors).toEqual([]);
    expect(claim!.fraudReview).toMatchObject({ status: 'DECIDED', rationale: longest });
  });

  it('a second finding after the first is WRONG_STATUS', async () => {
    const referral = await refer();
    await pick(expertOne, referral.reviewId);
    expect(
      (await submit(expertOne, referral.claimId, 'UNSUBSTANTIATED', 'No defect shown.')).userErrors,
    ).toEqual([]);
    const before = await stateOf(referral.claimId);

    for (const finding of ['VALID', 'FRAUDULENT'] as const) {
      expect(await submit(expertOne, referral.claimId, finding, 'On second thoughts.')).toEqual({
        claim: null,
        userErrors: [{ field: ['input', 'claimId'], code: 'WRONG_STATUS', message: expect.any(String) }],
      });
    }
    expect(await stateOf(referral.claimId)).toEqual(before);
  });

  it('the same idempotency key retried returns the first result and records one decision', async () => {
    const referral = await refer();
    await pick(expertOne, referral.reviewId);

    const first = await submit(
      expertOne,
      referral.claimId,
      'ABUSIVE',
      'Third claim for the same rug.',
      'abusive-once',
    );
    expect(first.userErrors).toEqual([]);
    const after = await stateOf(referral.claimId);
    t.clock.advance(MINUTE);
    expect(
      await submit(expertOne, referral.claimId, 'ABUSIVE', 'Third claim for the same rug.', 'abusive-once'),
    ).toEqual(first);
    expect(await stateOf(referral.claimId)).toEqual(after);
    expect(first.claim!.decisions.filter((decision) => decision.kind === 'DENIED_BY_EXPERT')).toHaveLength(1);

    // The same key for a different finding is refused, and changes nothing either.
    expect(
      await submit(expertOne, referral.claimId, 'VALID', 'Third claim for the same rug.', 'abusive-once'),
    ).toEqual({
      claim: null,
      userErrors: [
        { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) },
      ],
    });
    expect(await stateOf(referral.claimId)).toEqual(after);
  });

  it.each([
    ['an agent', Role.AGENT, 'agent-test'],
    ['a customer', Role.CUSTOMER, 'cust-a'],
    ['a seller', Role.SELLER, 'sell-a'],
    ['an insurer', Role.INSURER, 'ins-a'],
  ])('picking or submitting as %s is FORBIDDEN', async (_name, role, subject) => {
    const referral = await refer();
    const before = await stateOf(referral.claimId);
    const client = await t.as(role, subject);

    const picked = await client.execute(PickFraudReviewDocument, { input: { reviewId: referral.reviewId } });
    const submitted = await client.execute(SubmitFraudReviewDocument, {
      input: {
        claimId: referral.claimId,
        finding: 'VALID',
        rationale: 'Fine.',
        idempotencyKey: `forbidden-${subject}`,
      },
    });

    for (const response of [picked, submitted]) {
      expect(response.data).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(await stateOf(referral.claimId)).toEqual(before);
  });

  it('picking or submitting without a token is UNAUTHENTICATED', async () => {
    const referral = await refer();
    const anonymous = t.anonymous();
    const picked = await anonymous.execute(PickFraudReviewDocument, { input: {} });
    const submitted = await anonymous.execute(SubmitFraudReviewDocument, {
      input: { claimId: referral.claimId, finding: 'VALID', rationale: 'Fine.' },
    });
    for (const response of [picked, submitted]) {
      expect(response.data).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await holderOf(referral.reviewId)).toBeNull();
  });
});

describe('withdrawal during review', () => {
  async function withdraw(referral: Referral) {
    const { withdrawClaim } = await referral.customer.data(WithdrawClaimDocument, {
      input: { claimId: referral.claimId, reason: 'Resolved with the seller directly.' },
    });
    expect(withdrawClaim.userErrors).toEqual([]);
    expect(withdrawClaim.claim!.status).toBe('WITHDRAWN');
  }

  it('cancels the review; the expert who picked it can no longer submit or pick it', async () => {
    const referral = await refer();
    await pick(expertOne, referral.reviewId);

    await withdraw(referral);

    expect(await reviewNode(agent, referral.reviewId)).toMatchObject({
      status: 'CANCELLED',
      finding: null,
      decidedAt: null,
    });
    expect(await queuedIds(expertOne, 'MINE')).not.toContain(referral.reviewId);
    expect(await queuedIds(expertOne, 'ALL')).not.toContain(referral.reviewId);
    expect(await queuedIds(agent, 'ALL')).not.toContain(referral.reviewId);
    const before = await stateOf(referral.claimId);
    expect(await submit(expertOne, referral.claimId, 'FRAUDULENT', 'Withdrawn to avoid a finding.')).toEqual({
      claim: null,
      userErrors: [{ field: ['input', 'claimId'], code: 'WRONG_STATUS', message: expect.any(String) }],
    });
    expect(await pick(expertOne, referral.reviewId)).toEqual({
      review: null,
      userErrors: [{ field: ['input', 'reviewId'], code: 'ALREADY_ASSIGNED', message: expect.any(String) }],
    });
    expect(await stateOf(referral.claimId)).toEqual(before);
    expect(before.claim).toMatchObject({ status: 'WITHDRAWN', fraudReview: { status: 'CANCELLED' } });
  });

  it('takes a review nobody picked out of the queue', async () => {
    await drainQueue();
    const referral = await refer();
    expect(await queuedIds(agent)).toEqual([referral.reviewId]);

    await withdraw(referral);

    expect(await queuedIds(agent)).toEqual([]);
    expect(await queuedIds(agent, 'ALL')).not.toContain(referral.reviewId);
    expect(await pick(expertTwo)).toMatchObject({
      review: null,
      userErrors: [{ code: 'NOTHING_TO_REVIEW' }],
    });
    expect(await pick(expertTwo, referral.reviewId)).toMatchObject({
      review: null,
      userErrors: [{ code: 'ALREADY_ASSIGNED' }],
    });
    expect(await holderOf(referral.reviewId)).toBeNull();
  });
});
