import { createHash } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { Claim } from '../src/entities/claim.entity';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import { ClaimEventType } from '../src/entities/claim-event-type';
import { FraudReview } from '../src/entities/fraud-review.entity';
import { InsurancePolicy, PolicyVerificationStatus } from '../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { Seller } from '../src/entities/seller.entity';
import { localIdOf, toGlobalId } from '../src/graphql/global-id';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import {
  AddClaimEvidenceDocument,
  AppealClaimDocument,
  type EvidenceInput,
  ExpertClaimDocument,
  FileClaimDocument,
  type FraudFinding,
  PickFraudReviewDocument,
  RecordClaimPaymentDocument,
  RecordOrderDocument,
  RespondToClaimDocument,
  ReviewClaimDocument,
  SubmitFraudReviewDocument,
  WithdrawClaimDocument,
} from './__generated__/graphql';
import { claimInput, COMPLIANT_TERMS, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { at, clockAt, DAY, HOUR, MINUTE } from './support/time';
import { until } from './support/waiting';

/**
 * The event stream is a deterministic function of the cursor range and the viewer: what every
 * role received live while claims were filed, screened, released, referred, reviewed, re-routed,
 * answered and left to their deadlines equals what a replay of the same range (or, for the roles
 * without replay, the timeline) gives it afterwards, and both follow the visibility rule as of
 * each event. Every viewer subscribes with the same documents, as clients do.
 */

/**
 * Every weight at zero but the order's delivery: a claim on an undelivered order is referred to an
 * expert, any other passes, whatever the claimant filed before.
 */
function referralByDeliveryOnly(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+referral-by-delivery`;
  policy.referAt = 30;
  policy.highPriorityAt = 60;
  policy.filedBeforeDelivery.weight = 35;
}

let t: TestServer;
let agent: GraphQLClient;
const clients: Client[] = [];

beforeAll(async () => {
  t = await startTestServer({ SCREENING_POLICY_FILE: screeningPolicyFile(referralByDeliveryOnly) });
  await seedMarketplace(t);
  agent = await t.agent();
  // sell-a's insurer on the incident day (June 1) is ins-day; ins-late insures it from June 10
  // only: the seller's insurer today, but not the one of those claims. sell-b holds no insurance.
  await insure('sell-a', 'ins-day', '2026-01-01', '2026-06-09');
  await insure('sell-a', 'ins-late', '2026-06-10', '2026-12-31');
});

// A failed test must not leave its subscriptions on the feed for the next one.
afterEach(() => {
  for (const subscription of open.splice(0)) subscription.stop();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => Promise.resolve(client.dispose())));
  await t?.stop();
});

/** Gives `sellerRef` a verified policy, from `effectiveFrom` to `effectiveTo`, of a new insurer. */
async function insure(sellerRef: string, insurerRef: string, effectiveFrom: string, effectiveTo: string) {
  const em = t.orm.em.fork();
  const provider = em.create(InsuranceProvider, { externalRef: insurerRef, name: `Insurer ${insurerRef}` });
  em.create(InsurancePolicy, {
    seller: await em.findOneOrFail(Seller, { externalRef: sellerRef }),
    provider,
    policyNumber: `POL-${sellerRef}-${insurerRef}`,
    effectiveFrom,
    effectiveTo,
    verificationStatus: PolicyVerificationStatus.VERIFIED,
    ...COMPLIANT_TERMS,
  });
  await em.flush();
}

// ---------------------------------------------------------------------------------------------
// Subscriptions, replays and timelines

/** An event as a subscriber or a timeline gives it to one viewer. */
interface Delivered {
  cursor: string;
  claimId: string;
  sequence: number;
  type: string;
  actorRole: string;
  fromStatus: string | null;
  toStatus: string | null;
  summary: string;
}

const FIELDS = 'cursor claimId sequence type actorRole fromStatus toStatus summary';
const CLAIM_EVENTS = `subscription($after: String) { claimEvents(after: $after) { ${FIELDS} } }`;
const STATUS_CHANGED = `subscription { claimStatusChanged { ${FIELDS} } }`;
const TIMELINE = `query($id: ID!) { claim(id: $id) { id timeline { id sequence type actorRole fromStatus toStatus message } } }`;

interface TimelineData {
  claim: {
    id: string;
    timeline: {
      id: string;
      sequence: number;
      type: string;
      actorRole: string;
      fromStatus: string | null;
      toStatus: string | null;
      message: string;
    }[];
  } | null;
}

async function socketFor(role: Role, subject: string): Promise<Client> {
  const token = await issueToken(t.config.auth.jwtSecret!, { role, subject });
  const client = createClient({
    url: t.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

/** Every subscription the running test opened. */
const open: Collected[] = [];

interface Collected {
  received: Delivered[];
  errors: unknown[];
  stop: () => void;
}

/** Subscribes and collects every message (and any error) until stopped. */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const received: Delivered[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<Record<string, Delivered>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        const data = result.data && Object.values(result.data)[0];
        if (data) received.push(data);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  const collected = { received, errors, stop };
  open.push(collected);
  return collected;
}

function feed(): { subscriberCount: number } {
  return (t.server.services.claimEvents as unknown as { feed: { subscriberCount: number } }).feed;
}

/** Waits until no subscription is attached, so that counts of attached ones are this test's. */
async function quietFeed(): Promise<void> {
  await until(() => feed().subscriberCount === 0, 'earlier subscriptions to leave the feed');
}

/** The cursor of the latest committed event. */
async function latestCursor(): Promise<string> {
  const [latest] = await t.orm.em
    .fork()
    .find(ClaimEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
  return latest?.id ?? '0';
}

function after(cursor: string, start: string): boolean {
  return BigInt(cursor) > BigInt(start);
}

function byCursor(a: Delivered, b: Delivered): number {
  return BigInt(a.cursor) < BigInt(b.cursor) ? -1 : 1;
}

/** What `client`'s timelines of every claim show it after `start`, in cursor order. */
async function timelinesAfter(client: GraphQLClient, start: string): Promise<Delivered[]> {
  const claims = await t.orm.em.fork().find(Claim, {}, { fields: ['id'], orderBy: { id: 'asc' } });
  const seen: Delivered[] = [];
  for (const { id } of claims) {
    const response: GraphQLResponse<TimelineData> = await client.post({
      query: TIMELINE,
      variables: { id: toGlobalId('Claim', id) },
    });
    expect(response.errors).toBeUndefined();
    const claim = response.data?.claim;
    if (!claim) continue;
    for (const event of claim.timeline) {
      const cursor = String(localIdOf(event.id, 'ClaimEvent'));
      if (!after(cursor, start)) continue;
      seen.push({
        cursor,
        claimId: claim.id,
        sequence: event.sequence,
        type: event.type,
        actorRole: event.actorRole,
        fromStatus: event.fromStatus,
        toStatus: event.toStatus,
        summary: event.message,
      });
    }
  }
  return seen.sort(byCursor);
}

// ---------------------------------------------------------------------------------------------
// Viewers

interface Watcher {
  role: Role;
  subject: string;
}

const AGENT: Watcher = { role: Role.AGENT, subject: 'agent-watch' };
const INS_DAY: Watcher = { role: Role.INSURER, subject: 'ins-day' };
const INS_LATE: Watcher = { role: Role.INSURER, subject: 'ins-late' };
const CUST_A: Watcher = { role: Role.CUSTOMER, subject: 'cust-a' };
const CUST_B: Watcher = { role: Role.CUSTOMER, subject: 'cust-b' };
const SELL_A: Watcher = { role: Role.SELLER, subject: 'sell-a' };
const SELL_B: Watcher = { role: Role.SELLER, subject: 'sell-b' };
const EXPERT_1: Watcher = { role: Role.FRAUD_EXPERT, subject: 'expert-1' };
const EXPERT_2: Watcher = { role: Role.FRAUD_EXPERT, subject: 'expert-2' };

const WATCHERS = [AGENT, INS_DAY, INS_LATE, CUST_A, CUST_B, SELL_A, SELL_B, EXPERT_1, EXPERT_2];
/** claimEvents, with its replay, is for these roles only. */
const REPLAYING = [AGENT, INS_DAY, INS_LATE];

function nameOf(watcher: Watcher): string {
  return `${watcher.role} ${watcher.subject}`;
}

/**
 * The cursors after `start` the database says `watcher` must receive: the rule, read off the
 * committed rows (the claim's parties, its release and its review window).
 */
async function committedFor(watcher: Watcher, start: string, statusOnly: boolean): Promise<string[]> {
  const em = t.orm.em.fork();
  const events = await em.find(
    ClaimEvent,
    { id: { $gt: start } },
    { orderBy: { id: 'asc' }, populate: ['claim.customer', 'claim.seller', 'claim.insurer'] },
  );
  const reviews = new Map((await em.find(FraudReview, {})).map((review) => [review.claim.id, review]));
  return events
    .filter((event) => !statusOnly || event.type === ClaimEventType.STATUS_CHANGED)
    .filter((event) => {
      const { claim, sequence } = event;
      const released = claim.releasedFromSequence ?? null;
      const review = reviews.get(claim.id);
      switch (watcher.role) {
        case Role.AGENT:
          return true;
        case Role.CUSTOMER:
          return claim.customer.externalRef === watcher.subject;
        case Role.SELLER:
          return claim.seller.externalRef === watcher.subject && released !== null && sequence >= released;
        case Role.INSURER:
          return claim.insurer?.externalRef === watcher.subject && released !== null && sequence >= released;
        case Role.FRAUD_EXPERT:
          return (
            review?.expertSubject === watcher.subject &&
            review.assignedFromSequence != null &&
            sequence >= review.assignedFromSequence &&
            (review.assignedUntilSequence == null || sequence <= review.assignedUntilSequence)
          );
      }
    })
    .map((event) => event.id);
}

// ---------------------------------------------------------------------------------------------
// Driving claims through the API

let orders = 0;
let evidenceItems = 0;
let keys = 0;

function key(prefix: string): string {
  keys += 1;
  return `${prefix}-${process.pid}-${keys}`;
}

function evidence(description: string): EvidenceInput {
  evidenceItems += 1;
  return {
    kind: 'PHOTO',
    description,
    contentHash: `sha256:${createHash('sha256').update(`determinism-${process.pid}-${evidenceItems}`).digest('hex')}`,
    uri: 'https://files.example.com/photo.jpg',
  };
}

interface Filing {
  customer: string;
  seller: string;
  /** Below 1,000.00 the marketplace pays a concession; from it on the seller must respond. */
  amount: string;
  /** An undelivered order is referred to an expert. */
  delivered: boolean;
  incidentDate?: string;
}

/** Files a claim on an order of its own; answers the claim's global id. */
async function file(filing: Filing): Promise<string> {
  orders += 1;
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-determinism-${orders}`,
      customerRef: filing.customer,
      sellerRef: filing.seller,
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
      ...(filing.delivered ? { deliveredAt: '2026-05-04T15:00:00.000Z' } : {}),
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const customer = await t.as(Role.CUSTOMER, filing.customer);
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(recordOrder.order!.id, {
      amountClaimed: { amount: filing.amount, currencyCode: 'USD' },
      incidentDate: filing.incidentDate ?? '2026-06-01',
    }),
  });
  expect(fileClaim.userErrors).toEqual([]);
  return fileClaim.claim!.id;
}

async function addEvidence(customerRef: string, claimId: string): Promise<void> {
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { addClaimEvidence } = await customer.data(AddClaimEvidenceDocument, {
    input: { claimId, evidence: [evidence('Another view of the damage')] },
  });
  expect(addClaimEvidence.userErrors).toEqual([]);
}

async function pick(expertRef: string, claimId: string): Promise<void> {
  const { claim } = await agent.data(ExpertClaimDocument, { id: claimId });
  const expert = await t.as(Role.FRAUD_EXPERT, expertRef);
  const { pickFraudReview } = await expert.data(PickFraudReviewDocument, {
    input: { reviewId: claim!.fraudReview!.id },
  });
  expect(pickFraudReview.userErrors).toEqual([]);
}

async function find(expertRef: string, claimId: string, finding: FraudFinding): Promise<void> {
  const expert = await t.as(Role.FRAUD_EXPERT, expertRef);
  const { submitFraudReview } = await expert.data(SubmitFraudReviewDocument, {
    input: { claimId, finding, rationale: `Reviewed: ${finding}.`, idempotencyKey: key('finding') },
  });
  expect(submitFraudReview.userErrors).toEqual([]);
}

async function withdraw(customerRef: string, claimId: string): Promise<void> {
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { withdrawClaim } = await customer.data(WithdrawClaimDocument, {
    input: { claimId, reason: 'Settled with the seller directly.' },
  });
  expect(withdrawClaim.userErrors).toEqual([]);
}

async function accept(responder: Watcher, claimId: string, payer: 'SELLER' | 'INSURER'): Promise<void> {
  const client = await t.as(responder.role, responder.subject);
  const { respondToClaim } = await client.data(RespondToClaimDocument, {
    input: { claimId, response: 'ACCEPT', payer },
  });
  expect(respondToClaim.userErrors).toEqual([]);
  const { recordClaimPayment } = await client.data(RecordClaimPaymentDocument, {
    input: { claimId, reference: key('payment'), idempotencyKey: key('payment') },
  });
  expect(recordClaimPayment.userErrors).toEqual([]);
}

async function rejectAndUphold(claimId: string): Promise<void> {
  const seller = await t.as(Role.SELLER, 'sell-a');
  const { respondToClaim } = await seller.data(RespondToClaimDocument, {
    input: { claimId, response: 'REJECT', statement: 'The heater was used outdoors, against its manual.' },
  });
  expect(respondToClaim.userErrors).toEqual([]);
  await uphold(claimId);
}

async function uphold(claimId: string): Promise<void> {
  const { reviewClaim } = await agent.data(ReviewClaimDocument, {
    input: {
      claimId,
      decision: 'UPHOLD_REJECTION',
      reason: 'The evidence supports the rejection.',
      idempotencyKey: key('review'),
    },
  });
  expect(reviewClaim.userErrors).toEqual([]);
}

async function appeal(customerRef: string, claimId: string): Promise<void> {
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { appealClaim } = await customer.data(AppealClaimDocument, {
    input: { claimId, statement: 'Here is the delivery proof.', evidence: [evidence('Delivery proof')] },
  });
  expect(appealClaim.userErrors).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// What each claim's story must be

/** A step as the agent reads it: `→STATUS` for a status change, the event type otherwise. */
function stepOf(event: Delivered): string {
  return event.type === 'STATUS_CHANGED' ? `→${event.toStatus}` : event.type;
}

interface Story {
  customer: Watcher;
  seller: Watcher;
  /** The seller's insurer on the incident day. */
  insurer: Watcher | null;
  expert: Watcher | null;
  /** Every event of the claim, in order. */
  steps: string[];
  /** The sequence (from 1) of the event that released the claim to the seller side. */
  releasedAt: number | null;
  /** The sequences the expert holds the review between: its pick, the last event of its finding. */
  reviewed: [number, number] | null;
}

/** Whether the story says `watcher` receives the claim's event at `sequence`. */
function storySays(story: Story, watcher: Watcher, sequence: number): boolean {
  switch (watcher.role) {
    case Role.AGENT:
      return true;
    case Role.CUSTOMER:
      return story.customer === watcher;
    case Role.SELLER:
    case Role.INSURER:
      return (
        (story.seller === watcher || story.insurer === watcher) &&
        story.releasedAt !== null &&
        sequence >= story.releasedAt
      );
    case Role.FRAUD_EXPERT:
      return (
        story.expert === watcher &&
        story.reviewed !== null &&
        sequence >= story.reviewed[0] &&
        sequence <= story.reviewed[1]
      );
  }
}

const FILED_AND_SCREENED = ['CLAIM_FILED', '→SCREENING'];
const REFERRED = [...FILED_AND_SCREENED, '→EXPERT_REVIEW'];
const ASKED_TO_RESPOND = ['→AWAITING_SELLER', 'SELLER_NOTIFIED', 'INSURER_NOTIFIED'];
const PAID_BY_THE_INSURER = ['→SELLER_ACCEPTED', 'PAYOUT_PROMISED', 'PAYOUT_COMPLETED', '→PAID', '→CLOSED'];

/** What the seller side must never read: screening, referral and expert review. */
const SCREENING_STEPS = ['CLAIM_FILED', 'EXPERT_ASSIGNED', '→SUBMITTED', '→SCREENING', '→EXPERT_REVIEW'];

// ---------------------------------------------------------------------------------------------

describe('live delivery and replay of the same range', () => {
  it('give every role the same sequence, as of each event, for claims released, referred and re-routed while it listens', async () => {
    // History before the range: the replay must leave it out.
    await file({ customer: 'cust-a', seller: 'sell-a', amount: '250.00', delivered: true });
    await t.runJobs();
    const start = await latestCursor();
    expect(start).not.toBe('0');

    // Every role listens before anything happens.
    await quietFeed();
    const live = new Map<Watcher, { status: Collected; events?: Collected }>();
    for (const watcher of WATCHERS) {
      const socket = await socketFor(watcher.role, watcher.subject);
      live.set(watcher, {
        status: collect(socket, STATUS_CHANGED),
        ...(REPLAYING.includes(watcher) ? { events: collect(socket, CLAIM_EVENTS, { after: start }) } : {}),
      });
    }
    await until(
      () => feed().subscriberCount === WATCHERS.length + REPLAYING.length,
      'every subscription to join the feed',
    );

    // Small claims: a concession, released and paid in the screening transaction.
    const s1 = await file({ customer: 'cust-a', seller: 'sell-a', amount: '250.00', delivered: true });
    const s2 = await file({ customer: 'cust-b', seller: 'sell-b', amount: '250.00', delivered: true });
    const s3 = await file({
      customer: 'cust-b',
      seller: 'sell-a',
      amount: '250.00',
      delivered: true,
      incidentDate: '2026-06-12',
    });
    // Large claims: released to the seller side, which must respond.
    const l1 = await file({ customer: 'cust-a', seller: 'sell-a', amount: '1500.00', delivered: true });
    const l2 = await file({ customer: 'cust-b', seller: 'sell-a', amount: '1500.00', delivered: true });
    const l3 = await file({ customer: 'cust-a', seller: 'sell-b', amount: '1500.00', delivered: true });
    // Referred claims.
    const r1 = await file({ customer: 'cust-a', seller: 'sell-a', amount: '1500.00', delivered: false });
    const r2 = await file({ customer: 'cust-b', seller: 'sell-a', amount: '1500.00', delivered: false });
    const r3 = await file({ customer: 'cust-a', seller: 'sell-b', amount: '1500.00', delivered: false });
    const r4 = await file({ customer: 'cust-b', seller: 'sell-a', amount: '1500.00', delivered: false });
    const r5 = await file({ customer: 'cust-a', seller: 'sell-a', amount: '1500.00', delivered: false });
    // Before screening: the seller side must never read it.
    await addEvidence('cust-a', l1);
    await t.runJobs();

    // Before the pick: the expert must never read it.
    await addEvidence('cust-a', r1);
    await pick('expert-1', r1);
    await pick('expert-2', r2);
    await pick('expert-1', r3);
    await addEvidence('cust-a', r1);
    await addEvidence('cust-a', l1);
    // Withdrawn while nobody had picked it: no expert reads any of it.
    await withdraw('cust-a', r5);

    // Re-routed to the seller side, which reads it from there on; the expert up to there.
    await find('expert-1', r1, 'VALID');
    await find('expert-2', r2, 'FRAUDULENT');

    await accept(INS_DAY, l1, 'INSURER');
    await rejectAndUphold(l2);
    // The seller's answer after the finding: not the expert's to read.
    await accept(SELL_A, r1, 'SELLER');
    // After the finding too: the appeal and its review are not the expert's.
    await appeal('cust-b', r2);
    await uphold(r2);

    // Each expert's last event comes after the others' events it must not receive.
    await pick('expert-2', r4);
    await find('expert-2', r4, 'FRIVOLOUS');
    await withdraw('cust-a', r3);

    // l3 is left to its deadline: two reminders, then the marketplace steps in; then s2's grace
    // period for insurance proof ends.
    for (const instant of [48 * HOUR + MINUTE, 71 * HOUR + MINUTE, 72 * HOUR + MINUTE, 8 * DAY]) {
      clockAt(t.clock, at(instant));
      await t.runJobs();
    }

    // Everything has settled: wait for what the database says each subscription must receive.
    for (const watcher of WATCHERS) {
      const { status, events } = live.get(watcher)!;
      const statusCount = (await committedFor(watcher, start, true)).length;
      await until(
        () => status.received.length >= statusCount,
        `${statusCount} status changes for ${nameOf(watcher)}`,
      );
      if (events) {
        const eventCount = (await committedFor(watcher, start, false)).length;
        await until(
          () => events.received.length >= eventCount,
          `${eventCount} events for ${nameOf(watcher)}`,
        );
      }
    }

    // The same range replayed, for each viewer that may replay.
    const replays = new Map<Watcher, Collected>();
    for (const watcher of REPLAYING) {
      replays.set(
        watcher,
        collect(await socketFor(watcher.role, watcher.subject), CLAIM_EVENTS, { after: start }),
      );
    }
    for (const watcher of REPLAYING) {
      const count = live.get(watcher)!.events!.received.length;
      await until(() => replays.get(watcher)!.received.length >= count, `the replay for ${nameOf(watcher)}`);
    }

    // Live equals replay (or timeline), field for field, for every viewer. Soft: a run reports
    // every viewer and every case that breaks the rule, not only the first.
    const timelines = new Map<Watcher, Delivered[]>();
    for (const watcher of WATCHERS) {
      const { status, events } = live.get(watcher)!;
      const timeline = await timelinesAfter(await t.as(watcher.role, watcher.subject), start);
      timelines.set(watcher, timeline);
      const name = nameOf(watcher);
      expect.soft(status.errors, name).toEqual([]);
      expect.soft(status.received, name).toEqual(timeline.filter((event) => event.type === 'STATUS_CHANGED'));
      expect
        .soft(
          status.received.map((event) => event.cursor),
          name,
        )
        .toEqual(await committedFor(watcher, start, true));
      if (events) {
        const replay = replays.get(watcher)!;
        expect.soft([events.errors, replay.errors], name).toEqual([[], []]);
        expect.soft(replay.received, name).toEqual(events.received);
        expect.soft(events.received, name).toEqual(timeline);
        expect
          .soft(status.received, name)
          .toEqual(events.received.filter((event) => event.type === 'STATUS_CHANGED'));
        expect
          .soft(
            events.received.map((event) => event.cursor),
            name,
          )
          .toEqual(await committedFor(watcher, start, false));
      }
    }

    // The content, as the rule says it must be. First every claim's story, as the agent reads it.
    const stories = new Map<string, Story>([
      [
        s1,
        {
          customer: CUST_A,
          seller: SELL_A,
          insurer: INS_DAY,
          expert: null,
          steps: [
            ...FILED_AND_SCREENED,
            '→APPROVED_CONCESSION',
            'PAYOUT_COMPLETED',
            '→PAID',
            'SELLER_NOTIFIED',
            '→CLOSED',
          ],
          releasedAt: 3,
          reviewed: null,
        },
      ],
      [
        s2,
        {
          customer: CUST_B,
          seller: SELL_B,
          insurer: null,
          expert: null,
          steps: [
            ...FILED_AND_SCREENED,
            '→APPROVED_CONCESSION',
            'PAYOUT_COMPLETED',
            '→PAID',
            'SELLER_NOTIFIED',
            'RECOVERY_OPENED',
            // The grace period ended without proof of insurance.
            'RECOVERY_OPENED',
          ],
          releasedAt: 3,
          reviewed: null,
        },
      ],
      [
        s3,
        {
          customer: CUST_B,
          seller: SELL_A,
          insurer: INS_LATE,
          expert: null,
          steps: [
            ...FILED_AND_SCREENED,
            '→APPROVED_CONCESSION',
            'PAYOUT_COMPLETED',
            '→PAID',
            'SELLER_NOTIFIED',
            '→CLOSED',
          ],
          releasedAt: 3,
          reviewed: null,
        },
      ],
      [
        l1,
        {
          customer: CUST_A,
          seller: SELL_A,
          insurer: INS_DAY,
          expert: null,
          steps: [
            'CLAIM_FILED',
            'EVIDENCE_ADDED',
            '→SCREENING',
            ...ASKED_TO_RESPOND,
            'EVIDENCE_ADDED',
            ...PAID_BY_THE_INSURER,
          ],
          releasedAt: 4,
          reviewed: null,
        },
      ],
      [
        l2,
        {
          customer: CUST_B,
          seller: SELL_A,
          insurer: INS_DAY,
          expert: null,
          steps: [
            ...FILED_AND_SCREENED,
            ...ASKED_TO_RESPOND,
            '→SELLER_REJECTED',
            '→MARKETPLACE_REVIEW',
            '→DENIED',
          ],
          releasedAt: 3,
          reviewed: null,
        },
      ],
      [
        l3,
        {
          customer: CUST_A,
          seller: SELL_B,
          insurer: null,
          expert: null,
          steps: [
            ...FILED_AND_SCREENED,
            '→AWAITING_SELLER',
            'SELLER_NOTIFIED',
            'RESPONSE_REMINDER',
            'RESPONSE_REMINDER',
            '→STEPPED_IN',
            'PAYOUT_COMPLETED',
            '→PAID',
            'RECOVERY_OPENED',
          ],
          releasedAt: 3,
          reviewed: null,
        },
      ],
      [
        r1,
        {
          customer: CUST_A,
          seller: SELL_A,
          insurer: INS_DAY,
          expert: EXPERT_1,
          steps: [
            ...REFERRED,
            'EVIDENCE_ADDED',
            'EXPERT_ASSIGNED',
            'EVIDENCE_ADDED',
            ...ASKED_TO_RESPOND,
            '→SELLER_ACCEPTED',
            'PAYOUT_PROMISED',
            'PAYOUT_COMPLETED',
            '→PAID',
            '→CLOSED',
          ],
          releasedAt: 7,
          reviewed: [5, 9],
        },
      ],
      [
        r2,
        {
          customer: CUST_B,
          seller: SELL_A,
          insurer: null,
          expert: EXPERT_2,
          steps: [...REFERRED, 'EXPERT_ASSIGNED', '→DENIED', '→MARKETPLACE_REVIEW', '→DENIED'],
          releasedAt: null,
          reviewed: [4, 5],
        },
      ],
      [
        r3,
        {
          customer: CUST_A,
          seller: SELL_B,
          insurer: null,
          expert: EXPERT_1,
          steps: [...REFERRED, 'EXPERT_ASSIGNED', '→WITHDRAWN'],
          releasedAt: null,
          reviewed: [4, 5],
        },
      ],
      [
        r4,
        {
          customer: CUST_B,
          seller: SELL_A,
          insurer: null,
          expert: EXPERT_2,
          steps: [...REFERRED, 'EXPERT_ASSIGNED', '→DENIED'],
          releasedAt: null,
          reviewed: [4, 5],
        },
      ],
      [
        r5,
        {
          customer: CUST_A,
          seller: SELL_A,
          insurer: null,
          expert: null,
          steps: [...REFERRED, '→WITHDRAWN'],
          releasedAt: null,
          reviewed: null,
        },
      ],
    ]);
    const everything = live.get(AGENT)!.events!.received;
    for (const [claimId, story] of stories) {
      expect
        .soft(everything.filter((event) => event.claimId === claimId).map(stepOf), `the story of ${claimId}`)
        .toEqual(story.steps);
    }
    expect.soft(new Set(everything.map((event) => event.claimId))).toEqual(new Set(stories.keys()));

    // Then what each viewer receives of those stories.
    const project = ({ cursor, claimId, sequence, type, toStatus }: Delivered) => ({
      cursor,
      claimId,
      sequence,
      type,
      toStatus,
    });
    for (const watcher of WATCHERS) {
      const { status, events } = live.get(watcher)!;
      const expected = everything
        .filter((event) => storySays(stories.get(event.claimId)!, watcher, event.sequence))
        .map(project);
      expect
        .soft(status.received.map(project), nameOf(watcher))
        .toEqual(expected.filter((event) => event.type === 'STATUS_CHANGED'));
      if (events) expect.soft(events.received.map(project), nameOf(watcher)).toEqual(expected);
      // Every type, for the roles without claimEvents too: e.g. the expert's pick, the evidence
      // added during its review and the notices its finding sent, and nothing before or after.
      expect.soft(timelines.get(watcher)!.map(project), nameOf(watcher)).toEqual(expected);
    }

    // The same, said plainly. The seller side reads a claim from its release on, never anything of
    // screening or expert review, and nothing of claims never released to it.
    const sellerSide = [SELL_A, SELL_B, INS_DAY, INS_LATE].flatMap((watcher) => {
      const { status, events } = live.get(watcher)!;
      return [...status.received, ...(events?.received ?? [])];
    });
    expect
      .soft(
        sellerSide.filter((event) => SCREENING_STEPS.includes(stepOf(event))),
        'seller side: screening steps',
      )
      .toEqual([]);
    expect
      .soft(
        sellerSide.filter((event) => [r2, r3, r4, r5].includes(event.claimId)),
        'seller side: unreleased claims',
      )
      .toEqual([]);
    expect
      .soft(
        sellerSide.filter((event) => event.actorRole === 'FRAUD_EXPERT'),
        'seller side: expert acts',
      )
      .toEqual([]);
    expect
      .soft(
        sellerSide.filter((event) => /screen|expert/i.test(event.summary)),
        'seller side: screening words',
      )
      .toEqual([]);
    for (const watcher of [SELL_A, INS_DAY]) {
      const first = live.get(watcher)!.status.received.find((event) => event.claimId === r1);
      // Re-routed by the expert: it reaches the seller side from no status it could know.
      expect.soft(first, nameOf(watcher)).toMatchObject({
        toStatus: 'AWAITING_SELLER',
        fromStatus: null,
        actorRole: 'SYSTEM',
      });
    }
    // Insurers: the claims whose insurer on the incident day they are, nothing else.
    const claimsOf = (collected: Collected) => [...new Set(collected.received.map((event) => event.claimId))];
    expect.soft(claimsOf(live.get(INS_DAY)!.events!)).toEqual([s1, l1, l2, r1]);
    expect.soft(claimsOf(live.get(INS_LATE)!.events!)).toEqual([s3]);
    expect.soft(claimsOf(live.get(SELL_B)!.status)).toEqual([s2, l3]);
    // Experts: from the pick through the finding (or the withdrawal), of the claims they picked.
    expect
      .soft(
        live.get(EXPERT_1)!.status.received.map((event) => [event.claimId, event.fromStatus, event.toStatus]),
      )
      .toEqual([
        [r1, 'EXPERT_REVIEW', 'AWAITING_SELLER'],
        [r3, 'EXPERT_REVIEW', 'WITHDRAWN'],
      ]);
    expect
      .soft(
        live.get(EXPERT_2)!.status.received.map((event) => [event.claimId, event.fromStatus, event.toStatus]),
      )
      .toEqual([
        [r2, 'EXPERT_REVIEW', 'DENIED'],
        [r4, 'EXPERT_REVIEW', 'DENIED'],
      ]);
    // Customers: their own claims only.
    expect.soft(claimsOf(live.get(CUST_A)!.status).sort()).toEqual([s1, l1, l3, r1, r3, r5].sort());
    expect.soft(claimsOf(live.get(CUST_B)!.status).sort()).toEqual([s2, s3, l2, r2, r4].sort());
  });
});

describe('the expert reviewing a claim', () => {
  it('receives the status changes of the claim while it holds the review, from its pick through its finding', async () => {
    await quietFeed();
    const listening = collect(await socketFor(Role.FRAUD_EXPERT, 'expert-solo'), STATUS_CHANGED);
    await until(() => feed().subscriberCount === 1, 'the subscription to join the feed');

    const claimId = await file({ customer: 'cust-b', seller: 'sell-a', amount: '250.00', delivered: false });
    await t.runJobs();
    await pick('expert-solo', claimId);
    // Found valid below the threshold: a concession, paid and closed with the finding.
    await find('expert-solo', claimId, 'VALID');

    await until(() => listening.received.length >= 3, 'the status changes of the finding');
    expect(listening.errors).toEqual([]);
    expect(listening.received.map((event) => [event.claimId, event.fromStatus, event.toStatus])).toEqual([
      [claimId, 'EXPERT_REVIEW', 'APPROVED_CONCESSION'],
      [claimId, 'APPROVED_CONCESSION', 'PAID'],
      [claimId, 'PAID', 'CLOSED'],
    ]);
    const timeline = await timelinesAfter(await t.as(Role.FRAUD_EXPERT, 'expert-solo'), '0');
    expect(listening.received).toEqual(timeline.filter((event) => event.type === 'STATUS_CHANGED'));
    expect(timeline.map(stepOf)).toEqual([
      'EXPERT_ASSIGNED',
      '→APPROVED_CONCESSION',
      'PAYOUT_COMPLETED',
      '→PAID',
      'SELLER_NOTIFIED',
      '→CLOSED',
    ]);
  });
});
