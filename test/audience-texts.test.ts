import { createHash } from 'node:crypto';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import type { ScreeningPolicy } from '../src/services/screening/screening-policy';
import {
  AddClaimEvidenceDocument,
  AppealClaimDocument,
  DecideProductDefenceDocument,
  type DefenceDecision,
  type EvidenceInput,
  FileClaimDocument,
  type FraudFinding,
  PickFraudReviewDocument,
  RecordClaimPaymentDocument,
  RecordOrderDocument,
  RecordRecoveryPaymentDocument,
  RespondToClaimDocument,
  type RespondToClaimInput,
  ReviewClaimDocument,
  type ReviewDecision,
  SubmitFraudReviewDocument,
  SubmitProductDefenceDocument,
  UpsertSellerDocument,
  WithdrawClaimDocument,
} from './__generated__/graphql';
import { claimInput, insureSeller, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { usd } from './support/money';
import { PII_CANARY } from './support/pii-canary';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, type TestServer } from './support/test-server';
import { at, clockAt, DAY, HOUR, MINUTE } from './support/time';
import { until } from './support/waiting';

/**
 * What each audience reads of a claim, over every path that can reach the seller side. Sellers and
 * their insurers must never learn that a claim was screened or reviewed by an expert (screening is
 * done on their behalf; a claim reaches them only once judged possibly valid), the customer reads
 * its own words, and the marketplace reads everything. The claims are driven through the real API
 * and jobs; then every text each viewer can reach is collected (claim, claims, node, mutation
 * payloads, replayed and live subscriptions) and searched.
 */

/**
 * Words that tell of screening or expert review, matched against every string the seller side
 * receives, enum values included (EXPERT_REVIEW, SCREENING, FRAUD_EXPERT, REFERRED_TO_EXPERT…
 * match the same words, case-insensitively). Deliberately not in it:
 * - "review" alone: the marketplace reviews rejections in the open (MARKETPLACE_REVIEW, "The
 *   marketplace reviews the rejection."), which the seller side must read;
 * - "refer" alone: it is in "reference", the payment references the seller side reads;
 * - "independent" alone: a party may cite an independent laboratory; "review by an independent"
 *   is how the marketplace words an expert's review.
 * The evidence kind EXPERT_REPORT, a report a party files itself, would match: no filing here uses it.
 */
const TELLS_OF_SCREENING =
  /screen|expert|fraud|risk|referr|review by an independent|EXPERT_REVIEW|SCREENING|FRAUD_EXPERT/i;

/** Words that tell a customer its seller lacked insurance: the customer is only told it keeps what it was paid. */
const TELLS_OF_NO_COVER =
  /uninsured|no (valid )?insurance|no product-liability policy|prove(s)? (cover|it was insured)/i;

/** In every expert rationale: the expert's reasoning is the marketplace's alone. */
const RATIONALE_MARK = 'note-5b7e';

/** What the customer reads of every recovery event. */
const NEUTRAL_RECOVERY =
  'The marketplace settles this payment with the seller; the customer keeps what was paid.';

/**
 * The marketplace's words when the seller is told of a claim it may have to pay back (a concession
 * for an uninsured seller; a step-in after an appeal), and the customer's.
 */
const PURSUIT_NOTICES = [
  'The seller was informed: the marketplace paid this claim; the seller held no valid insurance on the incident date.',
  "The seller was informed: the marketplace paid this claim after the customer's appeal and recovers the amount; the seller may submit evidence that the product was not defective.",
];
const CUSTOMER_NOTICE = 'The seller was informed of the claim.';

/** Where the seller side reads other words than the marketplace (beside the release event). */
const SELLER_SIDE_WORDS: Record<string, string> = {
  [PURSUIT_NOTICES[1]]:
    'The seller was informed: the marketplace paid this claim and recovers the amount; the seller may submit evidence that the product was not defective.',
};

/**
 * Decisions the seller side never sees: screening's and the expert's, and the customer's appeal to
 * the marketplace (which may follow a denial the seller never heard of).
 */
const SCREENING_DECISIONS = [
  'DENIED_IN_SCREENING',
  'REFERRED_TO_EXPERT',
  'FOUND_VALID_BY_EXPERT',
  'DENIED_BY_EXPERT',
  'APPEALED',
];

/** Every event type and decision kind the seller side can be shown. */
const SELLER_SIDE_EVENT_TYPES = [
  'DEFENCE_DECIDED',
  'DEFENCE_SUBMITTED',
  'EVIDENCE_ADDED',
  'INSURER_NOTIFIED',
  'PAYOUT_COMPLETED',
  'PAYOUT_PROMISED',
  'RECOVERY_CANCELLED',
  'RECOVERY_COLLECTED',
  'RECOVERY_OPENED',
  'RESPONSE_REMINDER',
  'SELLER_NOTIFIED',
  'STATUS_CHANGED',
];
const SELLER_SIDE_DECISION_KINDS = [
  'ACCEPTED_BY_INSURER',
  'ACCEPTED_BY_SELLER',
  'DEFENCE_REJECTED',
  'DEFENCE_UPHELD',
  'REJECTED_BY_INSURER',
  'REJECTED_BY_SELLER',
  'REJECTION_UPHELD',
  'ROUTED_TO_CONCESSION',
  'ROUTED_TO_SELLER',
  'STEPPED_IN_AFTER_REVIEW',
  'STEPPED_IN_AFTER_SILENCE',
  'WITHDRAWN',
];

/**
 * Every weight and band at zero but one: a claim on an order not delivered yet is referred to an
 * expert (35 ≥ 30), any other passes. Which path a claim takes is then the test's choice alone.
 */
function referUndelivered(policy: ScreeningPolicy): void {
  const zero = (node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'bands' && Array.isArray(value)) node[key] = [];
      else if (typeof value === 'number' && /weight$/i.test(key)) node[key] = 0;
      else if (typeof value === 'object' && value !== null) zero(value as Record<string, unknown>);
    }
  };
  zero(policy as unknown as Record<string, unknown>);
  policy.version = `${policy.version}+audience-texts`;
  policy.referAt = 30;
  policy.highPriorityAt = 60;
  policy.filedBeforeDelivery.weight = 35;
}

// ---------------------------------------------------------------------------------------------
// The paths

type SellerRef = 'sell-a' | 'sell-b' | 'sell-c';

interface Path {
  customerRef: 'cust-a' | 'cust-b';
  /** sell-a is insured by ins-a; sell-b is not; sell-c proves cover during the grace period. */
  sellerRef: SellerRef;
  amount: string;
  /** Filed before delivery: screening refers it to an expert. */
  referred: boolean;
  /** Personal injury, with injury details and a medical record that carry the canary. */
  injury?: boolean;
}

const PATHS = {
  concessionInsured: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '250.00', referred: false },
  concessionUninsured: {
    customerRef: 'cust-b',
    sellerRef: 'sell-b',
    amount: '120.50',
    referred: false,
    injury: true,
  },
  concessionCoverProved: { customerRef: 'cust-a', sellerRef: 'sell-c', amount: '300.00', referred: false },
  acceptedBySeller: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '1500.00', referred: false },
  acceptedByInsurer: {
    customerRef: 'cust-b',
    sellerRef: 'sell-a',
    amount: '2000.00',
    referred: false,
    injury: true,
  },
  rejectedSteppedIn: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '2500.00', referred: false },
  rejectedDeniedAppealed: { customerRef: 'cust-b', sellerRef: 'sell-a', amount: '1800.00', referred: false },
  silence: { customerRef: 'cust-b', sellerRef: 'sell-b', amount: '4200.00', referred: false },
  withdrawn: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '1200.00', referred: false },
  validConcessionInsured: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '260.00', referred: true },
  validConcessionUninsured: { customerRef: 'cust-b', sellerRef: 'sell-b', amount: '150.00', referred: true },
  validRejected: {
    customerRef: 'cust-a',
    sellerRef: 'sell-a',
    amount: '3000.00',
    referred: true,
    injury: true,
  },
  validAcceptedByInsurer: { customerRef: 'cust-b', sellerRef: 'sell-a', amount: '1100.00', referred: true },
  validAcceptedBySeller: { customerRef: 'cust-a', sellerRef: 'sell-b', amount: '1300.00', referred: true },
  validSilence: { customerRef: 'cust-b', sellerRef: 'sell-a', amount: '5000.00', referred: true },
  validWithdrawn: { customerRef: 'cust-a', sellerRef: 'sell-b', amount: '1400.00', referred: true },
  // Never released: denied by the expert, then paid by the marketplace after an appeal.
  deniedAppealedSteppedIn: { customerRef: 'cust-b', sellerRef: 'sell-a', amount: '2200.00', referred: true },
  // Never released: picked by an expert, no finding yet.
  inReview: { customerRef: 'cust-a', sellerRef: 'sell-a', amount: '900.00', referred: true },
} as const satisfies Record<string, Path>;

type PathName = keyof typeof PATHS;
const PATH_NAMES = Object.keys(PATHS) as PathName[];
const REFERRED = PATH_NAMES.filter((name) => PATHS[name].referred);

/** Each path's claim id. */
const ids = {} as Record<PathName, string>;

function pathOf(claimId: string): PathName | undefined {
  return PATH_NAMES.find((name) => ids[name] === claimId);
}

// ---------------------------------------------------------------------------------------------
// Viewers

interface Viewer {
  label: string;
  role: Role;
  subject: string;
  client: GraphQLClient;
}

let t: TestServer;
let agent: Viewer;
let expert: GraphQLClient;
let insurer: Viewer;
const sellers = {} as Record<SellerRef, Viewer>;
const customers = {} as Record<'cust-a' | 'cust-b', Viewer>;
let sellerSide: Viewer[];

async function viewer(role: Role, subject: string): Promise<Viewer> {
  return { label: `${role} ${subject}`, role, subject, client: await t.as(role, subject) };
}

/** Whether `viewer` is a party of the claim on the seller side (sell-a's insurer is ins-a). */
function sellerSideParty(viewer: Viewer, name: PathName): boolean {
  const { sellerRef } = PATHS[name];
  return viewer.role === Role.SELLER ? viewer.subject === sellerRef : sellerRef === 'sell-a';
}

// ---------------------------------------------------------------------------------------------
// What viewers receive

/** One string a viewer received, where, and about which claim. */
interface Text {
  viewer: string;
  claimId: string;
  where: string;
  text: string;
}

const received: Text[] = [];

/**
 * Global ids and cursors are left out: they are opaque base64 and may spell any word by chance.
 * Everything else a response holds is kept, enum values included.
 */
const OPAQUE_KEYS = new Set(['id', 'claimId', 'cursor']);

function walk(value: unknown, where: string, visit: (where: string, text: string) => void): void {
  if (typeof value === 'string') visit(where, value);
  else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${where}[${index}]`, visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!OPAQUE_KEYS.has(key)) walk(item, `${where}.${key}`, visit);
    }
  }
}

function keep(viewer: Viewer, claimId: string, where: string, value: unknown): void {
  walk(value, where, (path, text) => received.push({ viewer: viewer.label, claimId, where: path, text }));
}

function textsOf(viewers: Viewer[]): Text[] {
  const labels = new Set(viewers.map((entry) => entry.label));
  return received.filter((entry) => labels.has(entry.viewer));
}

/** The channel a text came by: the first word of `where`. */
function channelOf(entry: Text): string {
  return entry.where.split(/[ .[]/)[0];
}

/** The texts, one line per viewer, claim, field and text (a field read at several moments counts once). */
function describeTexts(entries: Text[]): string[] {
  const lines = entries.map(
    (entry) =>
      `${entry.viewer} | ${pathOf(entry.claimId) ?? entry.claimId} | ${entry.where.replace(/ \([^)]*\)/, '')}: ${entry.text}`,
  );
  return [...new Set(lines)];
}

// ---------------------------------------------------------------------------------------------
// Reading claims

interface SeenEvent {
  id: string;
  sequence: number;
  type: string;
  message: string;
  actorRole: string;
  fromStatus: string | null;
  toStatus: string | null;
}

interface SeenDecision {
  id: string;
  kind: string;
  reason: string;
  decidedByRole: string;
}

interface SeenClaim {
  id: string;
  status: string;
  denialReason: string | null;
  nextStep: { summary: string; party: string | null };
  payout: { id: string; payer: string; status: string } | null;
  recovery: { id: string; debtor: string; status: string; reason: string } | null;
  defences: { id: string; status: string }[];
  decisions: SeenDecision[];
  timeline: SeenEvent[];
  evidence: { id: string; kind: string; description: string }[];
  injuryDetails: { description: string } | null;
  screening: { outcome: string } | null;
  fraudReview: { id: string; status: string } | null;
}

/** Every field of a claim that carries text, for any viewer. */
const CLAIM_FIELDS = `fragment Seen on Claim {
  id number status route respondBy denialReason description kinds filedAt incidentDate
  amountClaimed { amount currencyCode }
  customer { name email }
  seller { name }
  product { name }
  order { externalRef deliveredAt }
  insurer { name }
  nextStep { summary party deadline }
  availableActions { action enabled reason }
  payout { id payer status reference }
  recovery { id debtor status reason graceEndsAt }
  defences { id status statement decisionReason submittedByRole }
  decisions { id kind reason decidedByRole decidedAt }
  timeline { id sequence type message actorRole fromStatus toStatus occurredAt }
  evidence { id kind description uri addedByRole }
  injuryDetails { description medicallyTreated treatmentDetails }
  screening { outcome riskScore }
  fraudReview { id status }
}`;

const CLAIM_QUERY = `query ($id: ID!) { claim(id: $id) { ...Seen } } ${CLAIM_FIELDS}`;

// Ten per page keeps the query under the cost limit.
const CLAIMS_QUERY = `query ($after: String) {
  claims(first: 10, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ...Seen } } }
} ${CLAIM_FIELDS}`;

/**
 * The text fields of each kind of claim record, by type: one selection for all would clash (`kind`
 * and `status` differ in type between them), so each node(id) asks for the fields of its own type.
 */
const NODE_TYPES = {
  ClaimEvent: 'sequence type message actorRole fromStatus toStatus occurredAt',
  ClaimDecision: 'kind reason decidedByRole decidedAt',
  FraudReview: 'status finding rationale',
  Payout: 'payer status reference',
  Recovery: 'debtor status reason',
  ProductDefence: 'status statement decisionReason submittedByRole',
  ClaimEvidence: 'kind description uri addedByRole',
} as const;

type NodeType = keyof typeof NODE_TYPES;

interface NodeId {
  id: string;
  type: NodeType;
  claimId: string;
}

const NODES_PER_REQUEST = 10;

function nodesQuery(batch: NodeId[]): string {
  const variables = batch.map((_, index) => `$i${index}: ID!`).join(', ');
  const fields = batch.map(
    (node, index) => `n${index}: node(id: $i${index}) { id __typename ...${node.type} }`,
  );
  const fragments = [...new Set(batch.map((node) => node.type))].map(
    (type) => `fragment ${type} on ${type} { ${NODE_TYPES[type]} }`,
  );
  return `query (${variables}) { ${fields.join(' ')} } ${fragments.join(' ')}`;
}

async function query<T>(
  client: GraphQLClient,
  text: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = (await client.post({ query: text, variables })) as GraphQLResponse<T>;
  expect(response.errors, text.slice(0, 80)).toBeUndefined();
  return response.data!;
}

/** Each viewer's claim(id) of every path's claim: null when it may not see it. */
const views = new Map<string, Map<string, SeenClaim | null>>();

function viewOf(viewer: Viewer, name: PathName): SeenClaim | null {
  return views.get(viewer.label)!.get(ids[name])!;
}

function agentView(name: PathName): SeenClaim {
  return viewOf(agent, name)!;
}

/** Reads every path's claim through claim(id), keeping what it returns. */
async function readClaims(viewer: Viewer, names: PathName[]): Promise<void> {
  const seen = new Map<string, SeenClaim | null>();
  views.set(viewer.label, seen);
  for (const name of names) {
    const { claim } = await query<{ claim: SeenClaim | null }>(viewer.client, CLAIM_QUERY, { id: ids[name] });
    seen.set(ids[name], claim);
    keep(viewer, ids[name], 'claim(id)', claim);
  }
}

interface ClaimsPage {
  claims: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: SeenClaim }[] };
}

/** Lists every claim the viewer may see, page by page; returns their ids. */
async function listClaims(viewer: Viewer, where = 'claims'): Promise<string[]> {
  const listed: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: ClaimsPage = await query<ClaimsPage>(viewer.client, CLAIMS_QUERY, { after });
    for (const { node } of page.claims.edges) {
      listed.push(node.id);
      keep(viewer, node.id, where, node);
    }
    if (!page.claims.pageInfo.hasNextPage) return listed;
    after = page.claims.pageInfo.endCursor;
  }
}

/** Every id of a claim's records the agent can reach. */
function nodeIdsOf(name: PathName): NodeId[] {
  const claim = agentView(name);
  const of = (type: NodeType, records: { id: string }[]) =>
    records.map(({ id }) => ({ id, type, claimId: ids[name] }));
  return [
    ...of('ClaimEvent', claim.timeline),
    ...of('ClaimDecision', claim.decisions),
    ...of('FraudReview', claim.fraudReview ? [claim.fraudReview] : []),
    ...of('Payout', claim.payout ? [claim.payout] : []),
    ...of('Recovery', claim.recovery ? [claim.recovery] : []),
    ...of('ProductDefence', claim.defences),
    ...of('ClaimEvidence', claim.evidence),
  ];
}

/** node(id) of each id, keeping what comes back; returns the ids that resolved. */
async function readNodes(viewer: Viewer, nodes: NodeId[]): Promise<Set<string>> {
  const resolved = new Set<string>();
  for (let start = 0; start < nodes.length; start += NODES_PER_REQUEST) {
    const batch = nodes.slice(start, start + NODES_PER_REQUEST);
    const variables = Object.fromEntries(batch.map((node, index) => [`i${index}`, node.id]));
    const data = await query<Record<string, { id: string; __typename: string } | null>>(
      viewer.client,
      nodesQuery(batch),
      variables,
    );
    batch.forEach((node, index) => {
      const found = data[`n${index}`];
      if (found) {
        expect(found).toMatchObject({ id: node.id, __typename: node.type });
        resolved.add(node.id);
      }
      keep(viewer, node.claimId, 'node(id)', found);
    });
  }
  return resolved;
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

interface Message {
  cursor: string;
  claimId: string;
  sequence: number;
  type: string;
  actorRole: string;
  fromStatus: string | null;
  toStatus: string | null;
  summary: string;
}

const MESSAGE_FIELDS = `cursor claimId claimNumber sequence type occurredAt actorRole fromStatus toStatus summary
  claim {
    status denialReason nextStep { summary party } recovery { reason status }
    decisions { kind reason decidedByRole }
    timeline { type message actorRole fromStatus toStatus }
    injuryDetails { description treatmentDetails }
    evidence { kind description }
  }`;

const STATUS_CHANGED = `subscription { claimStatusChanged { ${MESSAGE_FIELDS} } }`;
const CLAIM_EVENTS = `subscription { claimEvents(after: "0") { ${MESSAGE_FIELDS} } }`;

const sockets: Client[] = [];

interface Stream {
  viewer: Viewer;
  channel: string;
  messages: Message[];
  errors: unknown[];
  stop: () => void;
}

async function subscribe(viewer: Viewer, channel: string, text: string): Promise<Stream> {
  const token = await issueToken(t.config.auth.jwtSecret!, { role: viewer.role, subject: viewer.subject });
  const socket = createClient({
    url: t.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  sockets.push(socket);
  const stream: Stream = { viewer, channel, messages: [], errors: [], stop: () => undefined };
  stream.stop = socket.subscribe<Record<string, Message>>(
    { query: text },
    {
      next: (result) => {
        if (result.errors) stream.errors.push(...result.errors);
        const message = result.data && Object.values(result.data)[0];
        if (message) {
          stream.messages.push(message);
          keep(viewer, message.claimId, channel, message);
        }
      },
      error: (error) => stream.errors.push(error),
      complete: () => undefined,
    },
  );
  return stream;
}

function subscriberCount(): number {
  return (t.server.services.claimEvents as unknown as { feed: { subscriberCount: number } }).feed
    .subscriberCount;
}

/** An event as a stream delivers it, to compare with the viewer's timeline. */
function asDelivered(claimId: string, event: Omit<SeenEvent, 'id'>) {
  return {
    key: `${claimId}#${String(event.sequence).padStart(4, '0')}`,
    type: event.type,
    actorRole: event.actorRole,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    summary: event.message,
  };
}

/** What the stream must deliver: the viewer's timelines, all events or only status changes. */
function expectedOf(viewer: Viewer, statusChangesOnly: boolean) {
  const expected = [];
  for (const [claimId, claim] of views.get(viewer.label)!) {
    for (const event of claim?.timeline ?? []) {
      if (!statusChangesOnly || event.type === 'STATUS_CHANGED') expected.push(asDelivered(claimId, event));
    }
  }
  return expected.sort((a, b) => a.key.localeCompare(b.key));
}

function deliveredBy(stream: Stream) {
  return stream.messages
    .map((message) => asDelivered(message.claimId, { ...message, message: message.summary }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------------------------------------
// Driving the claims

let counter = 0;
function next(): number {
  counter += 1;
  return counter;
}

function evidence(kind: EvidenceInput['kind'], description: string): EvidenceInput {
  const n = next();
  return {
    kind,
    description,
    contentHash: `sha256:${createHash('sha256').update(`audience-${process.pid}-${n}`).digest('hex')}`,
    uri: `https://files.example.com/exhibit-${n}.pdf`,
  };
}

const medicalRecord = () => evidence('MEDICAL_RECORD', `Discharge letter (${PII_CANARY} record)`);

async function file(name: PathName): Promise<void> {
  const path: Path = PATHS[name];
  const n = next();
  const { recordOrder } = await agent.client.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-path-${n}`,
      customerRef: path.customerRef,
      sellerRef: path.sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: usd('89.99'),
      purchasedAt: '2026-05-01T10:00:00.000Z',
      ...(path.referred ? {} : { deliveredAt: '2026-05-04T15:00:00.000Z' }),
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const input = claimInput(recordOrder.order!.id, { amountClaimed: usd(path.amount) });
  if (path.injury) {
    input.kinds = ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'];
    input.injuryDetails = {
      description: `Burn on the left hand (${PII_CANARY} description)`,
      medicallyTreated: true,
      treatmentDetails: `Dressed at the emergency department (${PII_CANARY} treatment)`,
    };
    input.evidence = [...input.evidence!, medicalRecord()];
  }
  const { fileClaim } = await customers[path.customerRef].client.data(FileClaimDocument, { input });
  expect(fileClaim.userErrors).toEqual([]);
  ids[name] = fileClaim.claim!.id;
}

async function status(name: PathName): Promise<string> {
  const { claim } = await query<{ claim: { status: string } }>(
    agent.client,
    'query ($id: ID!) { claim(id: $id) { status } }',
    { id: ids[name] },
  );
  return claim.status;
}

async function expectStatuses(expected: Partial<Record<PathName, string>>): Promise<void> {
  const actual: Partial<Record<PathName, string>> = {};
  for (const name of Object.keys(expected) as PathName[]) actual[name] = await status(name);
  expect(actual).toEqual(expected);
}

function key(): string {
  return `audience-${process.pid}-${next()}`;
}

/** A seller-side command: its whole response is something the seller side reads. */
async function sellerSideSends(
  viewer: Viewer,
  name: PathName,
  mutation: string,
  send: () => Promise<GraphQLResponse<Record<string, { userErrors: { code: string }[] }>>>,
): Promise<string[]> {
  const response = await send();
  keep(viewer, ids[name], `payload ${mutation}`, response);
  expect(response.errors).toBeUndefined();
  return response.data![mutation].userErrors.map((error) => error.code);
}

async function respond(viewer: Viewer, name: PathName, input: Omit<RespondToClaimInput, 'claimId'>) {
  const codes = await sellerSideSends(viewer, name, 'respondToClaim', () =>
    viewer.client.execute(RespondToClaimDocument, { input: { claimId: ids[name], ...input } }),
  );
  expect(codes).toEqual([]);
}

async function recordPayment(viewer: Viewer, name: PathName, reference: string) {
  const codes = await sellerSideSends(viewer, name, 'recordClaimPayment', () =>
    viewer.client.execute(RecordClaimPaymentDocument, {
      input: { claimId: ids[name], reference, idempotencyKey: key() },
    }),
  );
  expect(codes).toEqual([]);
}

async function submitDefence(viewer: Viewer, name: PathName, statement: string) {
  const codes = await sellerSideSends(viewer, name, 'submitProductDefence', () =>
    viewer.client.execute(SubmitProductDefenceDocument, {
      input: { claimId: ids[name], statement, evidence: [evidence('DOCUMENT', 'Test laboratory report')] },
    }),
  );
  expect(codes).toEqual([]);
}

/** A seller-side command on a claim it may not see: refused as if the claim did not exist. */
async function expectNotFound(viewer: Viewer, name: PathName) {
  const answered = await sellerSideSends(viewer, name, 'respondToClaim', () =>
    viewer.client.execute(RespondToClaimDocument, { input: { claimId: ids[name], response: 'ACCEPT' } }),
  );
  const defended = await sellerSideSends(viewer, name, 'submitProductDefence', () =>
    viewer.client.execute(SubmitProductDefenceDocument, {
      input: { claimId: ids[name], statement: 'The product was not defective.' },
    }),
  );
  expect([answered, defended]).toEqual([['CLAIM_NOT_FOUND'], ['CLAIM_NOT_FOUND']]);
}

async function review(name: PathName, decision: ReviewDecision, reason: string) {
  const { reviewClaim } = await agent.client.data(ReviewClaimDocument, {
    input: { claimId: ids[name], decision, reason, idempotencyKey: key() },
  });
  expect(reviewClaim.userErrors).toEqual([]);
}

async function decideDefence(name: PathName, decision: DefenceDecision, reason: string) {
  const { decideProductDefence } = await agent.client.data(DecideProductDefenceDocument, {
    input: { claimId: ids[name], decision, reason },
  });
  expect(decideProductDefence.userErrors).toEqual([]);
}

async function appeal(name: PathName) {
  const { appealClaim } = await customers[PATHS[name].customerRef].client.data(AppealClaimDocument, {
    input: {
      claimId: ids[name],
      statement: 'Here is the repair invoice for the floor.',
      evidence: [evidence('RECEIPT', 'Repair invoice')],
    },
  });
  expect(appealClaim.userErrors).toEqual([]);
}

async function withdraw(name: PathName) {
  const { withdrawClaim } = await customers[PATHS[name].customerRef].client.data(WithdrawClaimDocument, {
    input: { claimId: ids[name], reason: 'Settled with the seller directly.' },
  });
  expect(withdrawClaim.userErrors).toEqual([]);
}

async function pick(name: PathName) {
  const { claim } = await query<{ claim: { fraudReview: { id: string } } }>(
    agent.client,
    'query ($id: ID!) { claim(id: $id) { fraudReview { id } } }',
    { id: ids[name] },
  );
  const { pickFraudReview } = await expert.data(PickFraudReviewDocument, {
    input: { reviewId: claim.fraudReview.id },
  });
  expect(pickFraudReview.userErrors).toEqual([]);
}

async function find(name: PathName, finding: FraudFinding) {
  const { submitFraudReview } = await expert.data(SubmitFraudReviewDocument, {
    input: {
      claimId: ids[name],
      finding,
      rationale: `Finding ${RATIONALE_MARK}: the carrier scanned the parcel two days late.`,
      idempotencyKey: key(),
    },
  });
  expect(submitFraudReview.userErrors).toEqual([]);
}

const REJECTION = 'The heater passed every safety test; the damage came from misuse.';
const STEP_IN = 'The photos show a melted thermostat: the product was defective.';
const DENIAL = 'The photos show damage that predates the purchase.';
const DEFENCE = 'A laboratory found no defect in the returned unit.';

/**
 * Moves the clock on, after listing every claim as each seller-side viewer and customer reads it
 * now: what a claim says between steps (its next step, a recovery waiting for proof) is read too.
 */
async function moveTo(offset: number): Promise<void> {
  const now = t.clock.now().toISOString();
  for (const reader of [...sellerSide, ...Object.values(customers)])
    await listClaims(reader, `claims (${now})`);
  clockAt(t.clock, at(offset));
}

/** Every path, from filing to where it ends, checking each step landed. */
async function drive(): Promise<void> {
  for (const name of PATH_NAMES) await file(name);
  await t.runJobs();
  await expectStatuses({
    concessionInsured: 'CLOSED',
    concessionUninsured: 'PAID',
    concessionCoverProved: 'PAID',
    acceptedBySeller: 'AWAITING_SELLER',
    withdrawn: 'AWAITING_SELLER',
    ...Object.fromEntries(REFERRED.map((name) => [name, 'EXPERT_REVIEW'])),
  });

  await moveTo(MINUTE);
  for (const name of REFERRED) await pick(name);
  for (const name of REFERRED.filter((name) => name.startsWith('valid'))) await find(name, 'VALID');
  await find('deniedAppealedSteppedIn', 'UNSUBSTANTIATED');
  await expectStatuses({
    validConcessionInsured: 'CLOSED',
    validConcessionUninsured: 'PAID',
    validRejected: 'AWAITING_SELLER',
    validSilence: 'AWAITING_SELLER',
    deniedAppealedSteppedIn: 'DENIED',
    inReview: 'EXPERT_REVIEW',
  });
  for (const name of ['deniedAppealedSteppedIn', 'inReview'] as const) {
    for (const viewer of [sellers['sell-a'], insurer]) await expectNotFound(viewer, name);
  }

  await moveTo(30 * MINUTE);
  const { addClaimEvidence } = await customers['cust-a'].client.data(AddClaimEvidenceDocument, {
    input: {
      claimId: ids.acceptedBySeller,
      evidence: [evidence('PHOTO', 'The floor after cleaning'), medicalRecord()],
    },
  });
  expect(addClaimEvidence.userErrors).toEqual([]);

  await moveTo(HOUR);
  await respond(sellers['sell-a'], 'acceptedBySeller', { response: 'ACCEPT', payer: 'SELLER' });
  await respond(insurer, 'acceptedByInsurer', {
    response: 'ACCEPT',
    payer: 'INSURER',
    statement: 'Covered under the policy.',
  });
  await respond(sellers['sell-a'], 'rejectedSteppedIn', { response: 'REJECT', statement: REJECTION });
  await respond(insurer, 'rejectedDeniedAppealed', { response: 'REJECT', statement: REJECTION });
  await respond(sellers['sell-a'], 'validRejected', { response: 'REJECT', statement: REJECTION });
  await respond(insurer, 'validAcceptedByInsurer', { response: 'ACCEPT', payer: 'INSURER' });
  await respond(sellers['sell-b'], 'validAcceptedBySeller', { response: 'ACCEPT', payer: 'SELLER' });
  await withdraw('withdrawn');
  await withdraw('validWithdrawn');

  await moveTo(2 * HOUR);
  await review('rejectedSteppedIn', 'STEP_IN', STEP_IN);
  await review('rejectedDeniedAppealed', 'UPHOLD_REJECTION', DENIAL);
  await review('validRejected', 'UPHOLD_REJECTION', DENIAL);

  await moveTo(3 * HOUR);
  for (const name of ['rejectedDeniedAppealed', 'validRejected', 'deniedAppealedSteppedIn'] as const) {
    await appeal(name);
  }

  await moveTo(4 * HOUR);
  for (const name of ['rejectedDeniedAppealed', 'validRejected', 'deniedAppealedSteppedIn'] as const) {
    await review(name, 'STEP_IN', STEP_IN);
  }

  await moveTo(5 * HOUR);
  await recordPayment(sellers['sell-a'], 'acceptedBySeller', 'SELLER-PAY-1');
  await recordPayment(insurer, 'acceptedByInsurer', 'INS-PAY-1');
  await recordPayment(insurer, 'validAcceptedByInsurer', 'INS-PAY-2');
  await recordPayment(sellers['sell-b'], 'validAcceptedBySeller', 'SELLER-PAY-2');

  await moveTo(6 * HOUR);
  await submitDefence(sellers['sell-a'], 'concessionInsured', DEFENCE);
  await submitDefence(sellers['sell-a'], 'rejectedSteppedIn', DEFENCE);
  await submitDefence(insurer, 'validConcessionInsured', DEFENCE);
  await submitDefence(insurer, 'validRejected', DEFENCE);
  await submitDefence(sellers['sell-c'], 'concessionCoverProved', DEFENCE);
  // Paid for by the marketplace and pursued: from the step-in on, the seller side sees it and may defend.
  await submitDefence(sellers['sell-a'], 'deniedAppealedSteppedIn', DEFENCE);

  await moveTo(7 * HOUR);
  await decideDefence('concessionInsured', 'REJECT', 'The photos show a melted thermostat.');
  await decideDefence('rejectedSteppedIn', 'UPHOLD', 'The laboratory report is convincing.');
  await decideDefence('validConcessionInsured', 'UPHOLD', 'The laboratory report is convincing.');
  await decideDefence('validRejected', 'REJECT', 'The photos show a melted thermostat.');
  await decideDefence('concessionCoverProved', 'REJECT', 'The photos show a melted thermostat.');

  // Reminders 24 h and 1 h before each deadline, then the deadlines (routings at 0 and +1 min).
  for (const due of [48 * HOUR, 71 * HOUR, 72 * HOUR]) {
    await moveTo(due + MINUTE);
    await t.runJobs();
  }

  await moveTo(4 * DAY);
  await insureSeller(t, 'sell-c', 'ins-c');
  await moveTo(7 * DAY + MINUTE);
  await t.runJobs();

  await moveTo(8 * DAY);
  const { recordRecoveryPayment } = await agent.client.data(RecordRecoveryPaymentDocument, {
    input: { claimId: ids.concessionUninsured, reference: 'WIRE-5531', idempotencyKey: key() },
  });
  expect(recordRecoveryPayment.userErrors).toEqual([]);

  await expectStatuses({
    concessionInsured: 'CLOSED',
    concessionUninsured: 'CLOSED',
    concessionCoverProved: 'CLOSED',
    acceptedBySeller: 'CLOSED',
    acceptedByInsurer: 'CLOSED',
    rejectedSteppedIn: 'CLOSED',
    rejectedDeniedAppealed: 'PAID',
    silence: 'PAID',
    withdrawn: 'WITHDRAWN',
    validConcessionInsured: 'CLOSED',
    validConcessionUninsured: 'PAID',
    validRejected: 'PAID',
    validAcceptedByInsurer: 'CLOSED',
    validAcceptedBySeller: 'CLOSED',
    validSilence: 'PAID',
    validWithdrawn: 'WITHDRAWN',
    deniedAppealedSteppedIn: 'PAID',
    inReview: 'EXPERT_REVIEW',
  });
}

// ---------------------------------------------------------------------------------------------

/** The live streams, opened before any claim is filed. */
let live: Stream[];
/** The replays, opened once every path has ended. */
let replays: Stream[];
/** node(id) ids each viewer got an object for. */
const resolvedNodes = new Map<string, Set<string>>();
/** The claims each viewer lists. */
const listed = new Map<string, string[]>();

beforeAll(async () => {
  t = await startTestServer({ SCREENING_POLICY_FILE: screeningPolicyFile(referUndelivered) });
  await seedMarketplace(t);
  agent = await viewer(Role.AGENT, 'agent-test');
  expert = await t.as(Role.FRAUD_EXPERT, 'expert-1');
  const { upsertSeller } = await agent.client.data(UpsertSellerDocument, {
    input: { externalRef: 'sell-c', name: 'Gamma Home', contactEmail: 'sell-c@example.com' },
  });
  expect(upsertSeller.userErrors).toEqual([]);
  await insureSeller(t, 'sell-a', 'ins-a');
  for (const ref of ['sell-a', 'sell-b', 'sell-c'] as const) sellers[ref] = await viewer(Role.SELLER, ref);
  insurer = await viewer(Role.INSURER, 'ins-a');
  for (const ref of ['cust-a', 'cust-b'] as const) customers[ref] = await viewer(Role.CUSTOMER, ref);
  sellerSide = [...Object.values(sellers), insurer];

  live = [];
  for (const subscriber of [...sellerSide, agent]) {
    live.push(await subscribe(subscriber, 'claimStatusChanged', STATUS_CHANGED));
  }
  await until(() => subscriberCount() === live.length, 'the live subscriptions to join the feed');

  await drive();

  await readClaims(agent, PATH_NAMES);
  for (const reader of sellerSide) await readClaims(reader, PATH_NAMES);
  for (const customer of Object.values(customers)) {
    await readClaims(
      customer,
      PATH_NAMES.filter((name) => PATHS[name].customerRef === customer.subject),
    );
  }
  for (const reader of [agent, ...sellerSide, ...Object.values(customers)]) {
    listed.set(reader.label, await listClaims(reader));
  }
  for (const reader of [agent, ...sellerSide]) {
    const nodes = PATH_NAMES.filter((name) => reader === agent || sellerSideParty(reader, name)).flatMap(
      nodeIdsOf,
    );
    resolvedNodes.set(reader.label, await readNodes(reader, nodes));
  }

  replays = [
    await subscribe(insurer, 'claimEvents', CLAIM_EVENTS),
    await subscribe(agent, 'claimEvents', CLAIM_EVENTS),
  ];
  for (const stream of replays) {
    const count = expectedOf(stream.viewer, false).length;
    await until(() => stream.messages.length >= count, `${stream.viewer.label}'s replay of ${count} events`);
  }
  for (const stream of live) {
    const count = expectedOf(stream.viewer, true).length;
    await until(() => stream.messages.length >= count, `${stream.viewer.label}'s ${count} status changes`);
  }
});

afterAll(async () => {
  for (const stream of [...(live ?? []), ...(replays ?? [])]) stream.stop();
  await Promise.all(sockets.map((socket) => Promise.resolve(socket.dispose())));
  await t?.stop();
});

// =============================================================================================

describe('the seller side (SELLER and INSURER)', () => {
  it('sees exactly the released claims of its own, from their release on, without screening decisions', () => {
    for (const reader of sellerSide) {
      const visible: string[] = [];
      for (const name of PATH_NAMES) {
        const all = agentView(name);
        // Routing releases a claim into the seller side's first status; a claim never routed (denied,
        // appealed) is released when the marketplace steps in on it and pursues the seller.
        const release = all.timeline.find(
          (event) =>
            event.type === 'STATUS_CHANGED' &&
            ['APPROVED_CONCESSION', 'AWAITING_SELLER', 'STEPPED_IN'].includes(event.toStatus ?? ''),
        );
        const seen = viewOf(reader, name);
        if (!release || !sellerSideParty(reader, name)) {
          expect(seen, `${reader.label} | ${name}`).toBeNull();
          continue;
        }
        visible.push(ids[name]);
        expect(seen, `${reader.label} | ${name}`).not.toBeNull();
        // The release reads as the marketplace's own step, from no status the seller side could know.
        expect(
          seen!.timeline.map(({ sequence, type, actorRole, fromStatus, toStatus, message }) => ({
            sequence,
            type,
            actorRole,
            fromStatus,
            toStatus,
            message: sequence === release.sequence ? null : message,
          })),
          `${reader.label} | ${name}`,
        ).toEqual(
          all.timeline
            .filter((event) => event.sequence >= release.sequence)
            .map(({ sequence, type, actorRole, fromStatus, toStatus, message }) => ({
              sequence,
              type,
              actorRole: actorRole === 'FRAUD_EXPERT' ? 'SYSTEM' : actorRole,
              fromStatus: sequence === release.sequence ? null : fromStatus,
              toStatus,
              message: sequence === release.sequence ? null : (SELLER_SIDE_WORDS[message] ?? message),
            })),
        );
        expect(seen!.timeline[0].message).toBe(
          {
            APPROVED_CONCESSION: 'The marketplace pays the claim directly as a concession.',
            AWAITING_SELLER: 'The seller and its insurer were asked to respond to the claim.',
            STEPPED_IN: 'The marketplace stepped in.',
          }[release.toStatus!],
        );
        expect(seen!.decisions).toEqual(
          all.decisions.filter((decision) => !SCREENING_DECISIONS.includes(decision.kind)),
        );
        expect(seen).toMatchObject({ screening: null, fraudReview: null });
      }
      expect([...listed.get(reader.label)!].sort(), reader.label).toEqual(visible.sort());
    }
  });

  it('covers every event type and decision kind it can be shown, on every path that reaches it', () => {
    const seen = sellerSide.flatMap((reader) => PATH_NAMES.map((name) => viewOf(reader, name)));
    const types = new Set(seen.flatMap((claim) => claim?.timeline.map((event) => event.type) ?? []));
    const kinds = new Set(seen.flatMap((claim) => claim?.decisions.map((decision) => decision.kind) ?? []));
    expect([...types].sort()).toEqual(SELLER_SIDE_EVENT_TYPES);
    expect([...kinds].sort()).toEqual(SELLER_SIDE_DECISION_KINDS);
    // Every path but the one still in review reaches the seller, and sell-a's also its insurer: the
    // claim denied, appealed and stepped in on is released to the seller side at the step-in.
    const reached = PATH_NAMES.filter((name) => viewOf(sellers[PATHS[name].sellerRef], name) !== null);
    expect(reached).toEqual(PATH_NAMES.filter((name) => name !== 'inReview'));
    for (const name of reached.filter((name) => PATHS[name].sellerRef === 'sell-a')) {
      expect(viewOf(insurer, name), name).not.toBeNull();
    }
  });

  it('gets from node(id) what it sees of the claim, and null for everything else', () => {
    for (const reader of sellerSide) {
      const expected = new Set<string>();
      for (const name of PATH_NAMES.filter((name) => sellerSideParty(reader, name))) {
        const seen = viewOf(reader, name);
        if (!seen) continue;
        for (const id of [
          ...seen.timeline.map((event) => event.id),
          ...seen.decisions.map((decision) => decision.id),
          ...(seen.payout ? [seen.payout.id] : []),
          ...(seen.recovery ? [seen.recovery.id] : []),
          ...seen.defences.map((defence) => defence.id),
          ...seen.evidence.map((item) => item.id),
        ])
          expected.add(id);
      }
      expect([...resolvedNodes.get(reader.label)!].sort(), reader.label).toEqual([...expected].sort());
    }
    // What it did get is what the agent can reach, less what is hidden from it.
    const asked = PATH_NAMES.filter((name) => sellerSideParty(sellers['sell-a'], name)).flatMap(nodeIdsOf);
    expect(resolvedNodes.get(sellers['sell-a'].label)!.size).toBeLessThan(asked.length);
  });

  it('reads live status changes and the replay of its events as its timeline reads them', () => {
    for (const stream of [...live, ...replays].filter((entry) => entry.viewer !== agent)) {
      expect(stream.errors, stream.viewer.label).toEqual([]);
      expect(deliveredBy(stream), `${stream.viewer.label} ${stream.channel}`).toEqual(
        expectedOf(stream.viewer, stream.channel === 'claimStatusChanged'),
      );
    }
  });

  it('receives a substantial number of texts, on every channel, for every viewer', () => {
    const texts = textsOf(sellerSide);
    expect(texts.length).toBeGreaterThan(3000);
    for (const reader of sellerSide) {
      const own = textsOf([reader]);
      const channels = new Set(own.map(channelOf));
      expect([...channels].sort(), reader.label).toEqual(
        reader === insurer
          ? ['claim(id)', 'claimEvents', 'claimStatusChanged', 'claims', 'node(id)', 'payload']
          : ['claim(id)', 'claimStatusChanged', 'claims', 'node(id)', 'payload'],
      );
      expect(own.length, reader.label).toBeGreaterThan(200);
    }
    // Free texts of the marketplace, not only enum values, are among them.
    const messages = new Set(
      texts.filter((entry) => /\.message$|\.summary$/.test(entry.where)).map((e) => e.text),
    );
    expect(messages.size).toBeGreaterThan(25);
  });

  it('reads no word of screening or expert review, anywhere', () => {
    const leaks = textsOf(sellerSide).filter((entry) => TELLS_OF_SCREENING.test(entry.text));
    expect(describeTexts(leaks)).toEqual([]);
  });

  it("never receives medical information, unless it is the insurer that accepted to pay, nor an expert's rationale", () => {
    const acceptedAt = at(HOUR);
    /** The moment a listing between steps was read; null for texts read otherwise (after the last step, or live). */
    const readAt = (entry: Text) => /^claims \((.*)\)/.exec(entry.where)?.[1] ?? null;
    const leaks = textsOf(sellerSide).filter(
      (entry) =>
        entry.text.includes(RATIONALE_MARK) ||
        (entry.text.includes(PII_CANARY) &&
          // The paying insurer reads it from its acceptance on (snapshots before it must not carry it).
          !(
            entry.viewer === insurer.label &&
            agentView(pathOf(entry.claimId)!).payout?.payer === 'INSURER' &&
            (readAt(entry) ?? acceptedAt) >= acceptedAt
          )),
    );
    expect(describeTexts(leaks)).toEqual([]);
    // The insurer that pays does read the injury: the canary is there to be found.
    expect(viewOf(insurer, 'acceptedByInsurer')!.injuryDetails?.description).toContain(PII_CANARY);
    expect(viewOf(sellers['sell-a'], 'acceptedByInsurer')!.injuryDetails).toBeNull();
  });
});

describe('the marketplace (control)', () => {
  it('reads screening and review words on every channel, so their absence for the seller side means something', () => {
    const texts = textsOf([agent]);
    const matching = texts.filter((entry) => TELLS_OF_SCREENING.test(entry.text));
    expect(new Set(matching.map(channelOf))).toEqual(
      new Set(['claim(id)', 'claims', 'node(id)', 'claimEvents', 'claimStatusChanged']),
    );
    for (const name of REFERRED) {
      const about = matching.filter((entry) => entry.claimId === ids[name]).map((entry) => entry.text);
      expect(
        about.some((text) => /expert/i.test(text)),
        name,
      ).toBe(true);
    }
    const words = new Set(matching.map((entry) => entry.text));
    for (const word of [
      'Screening started.',
      'The claim needs an additional review by an independent expert before it goes further.',
      'An independent expert started reviewing the claim.',
      'The claim passed screening; the seller and its insurer were asked to respond.',
      'The claim passed screening; the marketplace pays it directly as a concession.',
      'referred to an independent expert for review',
      'an independent expert found the claim possibly valid',
      'SCREENING',
      'EXPERT_REVIEW',
      'FRAUD_EXPERT',
      'REFERRED_TO_EXPERT',
      'FOUND_VALID_BY_EXPERT',
      'DENIED_BY_EXPERT',
      'FraudReview',
    ]) {
      expect(words.has(word), word).toBe(true);
    }
    // And the words of a missing cover, which the customer must not read.
    expect(texts.some((entry) => TELLS_OF_NO_COVER.test(entry.text))).toBe(true);
  });

  it('reads live status changes and the replay of every event as its timelines read them', () => {
    for (const stream of [...live, ...replays].filter((entry) => entry.viewer === agent)) {
      expect(stream.errors).toEqual([]);
      expect(deliveredBy(stream), stream.channel).toEqual(
        expectedOf(agent, stream.channel === 'claimStatusChanged'),
      );
    }
  });
});

describe('the customer', () => {
  /** The words written for the customer of an event the agent reads in the marketplace's words. */
  function customerWords(event: SeenEvent): string {
    if (event.type.startsWith('RECOVERY_')) return NEUTRAL_RECOVERY;
    if (PURSUIT_NOTICES.includes(event.message)) return CUSTOMER_NOTICE;
    return event.message;
  }

  it('reads its own claim: every event, in the words written for it, every decision, no screening detail', () => {
    for (const name of PATH_NAMES) {
      const own = viewOf(customers[PATHS[name].customerRef], name);
      const all = agentView(name);
      expect(own, name).not.toBeNull();
      expect(own!.timeline, name).toEqual(
        all.timeline.map((event) => ({ ...event, message: customerWords(event) })),
      );
      expect(own!.decisions, name).toEqual(all.decisions);
      expect(own, name).toMatchObject({ screening: null, fraudReview: null });
    }
    for (const customer of Object.values(customers)) {
      const own = PATH_NAMES.filter((name) => PATHS[name].customerRef === customer.subject).map(
        (name) => ids[name],
      );
      expect([...listed.get(customer.label)!].sort()).toEqual(own.sort());
    }
    const leaks = textsOf(Object.values(customers)).filter((entry) => entry.text.includes(RATIONALE_MARK));
    expect(describeTexts(leaks)).toEqual([]);
  });

  it('reads every recovery event as one neutral sentence, and an uninsured seller told of the claim as just that', () => {
    const events = Object.values(customers).flatMap((customer) =>
      [...views.get(customer.label)!.values()].flatMap((claim) => claim!.timeline),
    );
    const recoveries = events.filter((event) => event.type.startsWith('RECOVERY_'));
    expect(new Set(recoveries.map((event) => event.type))).toEqual(
      new Set(['RECOVERY_OPENED', 'RECOVERY_CANCELLED', 'RECOVERY_COLLECTED']),
    );
    expect(new Set(recoveries.map((event) => event.message))).toEqual(new Set([NEUTRAL_RECOVERY]));
    const notices = agentView('concessionUninsured').timeline.filter(
      (event) => event.message === PURSUIT_NOTICES[0],
    );
    expect(notices).toHaveLength(1);
    expect(
      viewOf(customers['cust-b'], 'concessionUninsured')!.timeline.find(
        (event) => event.sequence === notices[0].sequence,
      )!.message,
    ).toBe(CUSTOMER_NOTICE);
  });

  it("reads nothing of the seller's missing insurance, in any field", () => {
    const leaks = textsOf(Object.values(customers)).filter((entry) => TELLS_OF_NO_COVER.test(entry.text));
    expect(describeTexts(leaks)).toEqual([]);
  });
});
