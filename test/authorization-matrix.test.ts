import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type FieldNode,
  getOperationAST,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  parse,
} from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { buildClaimgraphSchema } from '../src/server/schema';
import { claimInput, establishedCustomer, seedMarketplace } from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { usd } from './support/money';
import { startTestServer, type TestServer } from './support/test-server';
import { DAY } from './support/time';

/**
 * Who may call what, on whose objects: every root field of Query, Mutation and Subscription, for
 * every role and for an anonymous caller, on the caller's own object and on another party's, has
 * exactly one expected outcome in MATRIX below. The expectations come from the product rules
 * (DESIGN.md §2, the README's visibility rules, the roles each operation is documented for), so a
 * cell that fails is a candidate authorization bug, not a table to update.
 *
 * docs/authorization.md shows the same table; the first tests check that the table covers the
 * whole schema and that the document still shows it.
 *
 * The world the cells run in is built once, through the API, with two sides:
 * - side a, the callers' own: customer cust-a, seller sell-a, its insurer ins-a, and the referral
 *   the fraud expert expert-1 picked;
 * - side b, another party's: customer cust-b, seller sell-b, its insurer ins-b, and the referral
 *   expert-2 picked.
 * The "own" column of a cell names side a's object, the "other" column side b's; agents, who see
 * everything, get both sides too. Cells that change state act on objects where the outcome cannot
 * depend on the order they run in: a settled claim (the action is refused with WRONG_STATUS or
 * the like, which still shows the caller was allowed), an object no other cell uses, or a
 * not-found answer that writes nothing.
 */

// ---------------------------------------------------------------------------------------------
// The table's types

type Caller = 'CUSTOMER' | 'SELLER' | 'INSURER' | 'AGENT' | 'FRAUD_EXPERT' | 'ANONYMOUS';
type Party = Exclude<Caller, 'ANONYMOUS'>;
const CALLERS: readonly Caller[] = ['CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'ANONYMOUS'];

type Denied = 'UNAUTHENTICATED' | 'FORBIDDEN';
/** What a cell may come to, by the kind of operation. */
interface Outcomes {
  /** DATA: the field is non-null; NULL: null without an error (how anything invisible reads). */
  query: Denied | 'DATA' | 'NULL';
  /** OK: a payload without a not-found userError (other refusals show the caller was let in); NOT_FOUND: one with. */
  mutation: Denied | 'OK' | 'NOT_FOUND';
  /** OPEN: accepted, no error while we wait; UNAUTHENTICATED: closed 4401; FORBIDDEN: a FORBIDDEN error, the socket open. */
  subscription: Denied | 'OPEN';
}
type Kind = keyof Outcomes;

/** One outcome for both columns, or "own / other". */
type OwnOther<O extends string> = O | `${O} / ${O}`;

type Column = 'own' | 'other' | 'none';
interface Cell {
  caller: Caller;
  column: Column;
}
type Variables = Record<string, unknown>;

interface RowBase<K extends Kind> {
  /** The root field the document selects. */
  field: string;
  kind: K;
  /** How the row reads in test names and in docs/authorization.md. */
  operation: string;
  /** What kind of object the cell is about, when a field has several rows (node). */
  of?: string;
  document: string;
  variables?: (cell: Cell) => Variables | Promise<Variables>;
}

/** A row whose cells name an object of the caller's own side, or of the other side. */
interface OwnOtherRow<K extends Kind> extends RowBase<K> {
  objects: 'own / other';
  /** An anonymous caller has no side: one outcome, with the own side's variables. */
  expected: Record<Party, OwnOther<Outcomes[K]>> & { ANONYMOUS: Outcomes[K] };
}

/** A row where whose object it is makes no difference: lists, creation, reference data, agent-only steps. */
interface SingleRow<K extends Kind> extends RowBase<K> {
  objects: '—';
  expected: Record<Caller, Outcomes[K]>;
}

type MatrixRow = { [K in Kind]: OwnOtherRow<K> | SingleRow<K> }[Kind];

// ---------------------------------------------------------------------------------------------
// The world the cells run in (built in beforeAll)

interface World {
  /** Settled claims (small, paid by the marketplace, CLOSED) that passed screening: cust-a against sell-a (insured by ins-a), and cust-b against sell-b (ins-b). */
  claimA: string;
  claimB: string;
  /** Referred to experts and still under review: cust-a against sell-a picked by expert-1, cust-b against sell-b picked by expert-2. */
  referredA: string;
  referredB: string;
  /** Referred and picked by expert-1, for the one cell that submits a finding. */
  toDecide: string;
  /** Concessions to an uninsured seller with an open recovery, and with a product defence awaiting a decision. */
  withRecovery: string;
  withDefence: string;
  eventA: string;
  eventB: string;
  eventReferredA: string;
  eventReferredB: string;
  orderA: string;
  orderB: string;
  orderReferredA: string;
  orderReferredB: string;
  /** Orders with no claim yet, for the filing cells. */
  unclaimedOrderA: string;
  unclaimedOrderB: string;
  customerA: string;
  customerB: string;
  sellerA: string;
  sellerB: string;
  product: string;
  providerA: string;
  providerB: string;
  /** A provider no other fixture uses, for the agent's provider changes. */
  spareProvider: string;
  /** Verified 2026 cover: sell-a by ins-a, sell-b by ins-b. */
  policyA: string;
  policyB: string;
  /** Registered and waiting for verification, for the verification cells. */
  pendingPolicyA: string;
  pendingPolicyB: string;
  /** Registered for 2027, for the cancellation cells. */
  cancellablePolicyA: string;
  cancellablePolicyB: string;
  reviewA: string;
  reviewB: string;
  /** sell-a's request, addressed to ins-a and ins-b; sell-b's, made before ins-a joined the network. */
  requestA: string;
  requestB: string;
  /** On requestA: ins-a's offer (bindable) and ins-b's pending quote. */
  offerA: string;
  competitorQuoteOnA: string;
  /** ins-b's pending quote on requestB. */
  quoteOnB: string;
  /** Pending quotes of two more sell-a requests: ins-a's and ins-b's, to price and to decline. */
  toPriceA: string;
  toPriceCompetitor: string;
  toDeclineA: string;
  toDeclineCompetitor: string;
  /** Webhook endpoints of each owner role: side a's caller's (with a pending delivery), side b's, and one of side a's to delete. */
  endpoints: Record<'SELLER' | 'INSURER' | 'AGENT', { own: string; other: string; deletable: string }>;
  deliveries: Record<'SELLER' | 'INSURER' | 'AGENT', { own: string; other: string }>;
}

let t: TestServer;
let w: World;
const clients = new Map<Caller, GraphQLClient>();

/** The principal each role calls as: side a's. */
const PRINCIPALS: Record<Party, string> = {
  CUSTOMER: 'cust-a',
  SELLER: 'sell-a',
  INSURER: 'ins-a',
  AGENT: 'agent-matrix',
  FRAUD_EXPERT: 'expert-1',
};

/** The webhook endpoint a cell is about: an owner role's own or another party's; the seller's for roles that own none. */
function endpointOf(cell: Cell, which: 'deletable' | 'kept' = 'kept'): string {
  const owner = cell.caller === 'INSURER' || cell.caller === 'AGENT' ? cell.caller : 'SELLER';
  const endpoints = w.endpoints[owner];
  return side(cell, which === 'deletable' ? endpoints.deletable : endpoints.own, endpoints.other);
}

/** A delivery of the endpoint `endpointOf` names. */
function deliveryOf(cell: Cell): string {
  const owner = cell.caller === 'INSURER' || cell.caller === 'AGENT' ? cell.caller : 'SELLER';
  return side(cell, w.deliveries[owner].own, w.deliveries[owner].other);
}

/** Side a's object for the own column (and for rows without sides), side b's for the other. */
function side<T>(cell: Cell, own: T, other: T): T {
  return cell.column === 'other' ? other : own;
}

/** The claim a cell is about: for a fraud expert, the referral it picked (own) or another expert picked (other). */
function claimOf(cell: Cell): string {
  return cell.caller === 'FRAUD_EXPERT'
    ? side(cell, w.referredA, w.referredB)
    : side(cell, w.claimA, w.claimB);
}

let serial = 0;
function unique(prefix: string): string {
  serial += 1;
  return `${prefix}-${process.pid}-${serial}`;
}

/** Evidence never seen before, as a new photo would be. */
function freshEvidence() {
  const id = unique('evidence');
  return {
    kind: 'PHOTO',
    description: 'Another photo of the damage',
    contentHash: `sha256:${createHash('sha256').update(id).digest('hex')}`,
    uri: `https://files.example.com/${id}.jpg`,
  };
}

/** Cover that meets every marketplace requirement. */
const COMPLIANT_COVER = {
  perOccurrenceLimit: usd('1000000.00'),
  aggregateLimit: usd('2000000.00'),
  deductible: usd('5000.00'),
  additionalInsured: true,
};

const PROFILE = {
  productCategories: ['home'],
  annualRevenue: usd('500000.00'),
  unitsSold: 10_000,
  yearsInBusiness: 4,
};

function mutationDocument(field: string, inputType: string): string {
  return `mutation ($input: ${inputType}!) { ${field}(input: $input) { userErrors { field code message } } }`;
}

// ---------------------------------------------------------------------------------------------
// The matrix

const MATRIX: MatrixRow[] = [
  // Query ------------------------------------------------------------------------------------
  {
    field: 'viewer',
    kind: 'query',
    operation: 'viewer',
    objects: '—',
    document: '{ viewer { role subject } }',
    // Without a token there is simply no viewer: null, not an error.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'NULL',
    },
  },
  {
    field: 'claim',
    kind: 'query',
    operation: 'claim(id)',
    objects: 'own / other',
    document: 'query ($id: ID!) { claim(id: $id) { id status } }',
    variables: (cell) => ({ id: claimOf(cell) }),
    // A customer sees its claims, a seller those against it after screening, an insurer those on
    // sellers it insures, an expert the referrals it picked, agents all; the rest reads as null.
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA / NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'claim',
    kind: 'query',
    operation: 'claim(id)',
    of: 'a claim under expert review',
    objects: 'own / other',
    document: 'query ($id: ID!) { claim(id: $id) { id status } }',
    variables: (cell) => ({ id: side(cell, w.referredA, w.referredB) }),
    // Screening comes first: neither the seller nor its insurer hears of a claim under review.
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'NULL',
      INSURER: 'NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA / NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'claims',
    kind: 'query',
    operation: 'claims',
    objects: '—',
    document: '{ claims(first: 10) { totalCount edges { node { id } } } }',
    // Every role lists the claims it may see (scoping is the claim(id) row's business).
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'fraudReviewQueue',
    kind: 'query',
    operation: 'fraudReviewQueue',
    objects: '—',
    document: '{ fraudReviewQueue(first: 10, assignment: ALL) { totalCount } }',
    // Customers, sellers and insurers never see scores, signals or reviews.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'inbox',
    kind: 'query',
    operation: 'inbox',
    objects: '—',
    document: '{ inbox { unreadCount } }',
    // Every principal has an inbox of its own.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'insurancePolicies',
    kind: 'query',
    operation: 'insurancePolicies',
    objects: '—',
    document: '{ insurancePolicies(first: 10) { totalCount } }',
    // A seller's own, those an insurer underwrites, all for agents; customers and experts hold none.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'insuranceProviders',
    kind: 'query',
    operation: 'insuranceProviders',
    objects: '—',
    document: '{ insuranceProviders(first: 10) { totalCount } }',
    // The network is public to every signed-in caller.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a Claim',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: claimOf(cell) }),
    // node must not be a side door: the same visibility as claim(id).
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA / NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a ClaimEvent',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({
      id:
        cell.caller === 'FRAUD_EXPERT'
          ? side(cell, w.eventReferredA, w.eventReferredB)
          : side(cell, w.eventA, w.eventB),
    }),
    // A claim's records are visible exactly when the claim is.
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA / NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'an Order',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({
      id:
        cell.caller === 'FRAUD_EXPERT'
          ? side(cell, w.orderReferredA, w.orderReferredB)
          : side(cell, w.orderA, w.orderB),
    }),
    // Orders are reference data of their customer, their seller and agents; insurers and experts
    // read an order only as part of a claim they may see.
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a Customer',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: side(cell, w.customerA, w.customerB) }),
    // A customer record (with its contact details) is the customer's own and the agents'; the
    // own side for a seller, insurer or expert is the claimant of its claim.
    expected: {
      CUSTOMER: 'DATA / NULL',
      SELLER: 'NULL',
      INSURER: 'NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a Seller',
    objects: '—',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: () => ({ id: w.sellerA }),
    // Sellers' names are public in the store; their contact email is a field of its own.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a Product',
    objects: '—',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: () => ({ id: w.product }),
    // The catalogue is public.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'an InsuranceProvider',
    objects: '—',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: () => ({ id: w.providerA }),
    // As public as insuranceProviders.
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'an InsurancePolicy',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: side(cell, w.policyA, w.policyB) }),
    // The seller's own policies, the insurer's underwritten ones, all for agents.
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'an InsuranceQuoteRequest',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: side(cell, w.requestA, w.requestB) }),
    // The seller's own requests; for an insurer, those addressed to it.
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'an InsuranceQuote',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    // For an insurer, the other side is a competitor's quote on a request addressed to both:
    // an insurer sees only its own quote of a request.
    variables: (cell) => ({
      id: side(cell, w.offerA, cell.caller === 'INSURER' ? w.competitorQuoteOnA : w.quoteOnB),
    }),
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a FraudReview',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    // The own side is the review of cust-a's claim against sell-a, picked by expert-1.
    variables: (cell) => ({ id: side(cell, w.reviewA, w.reviewB) }),
    // Reviews are for agents and the expert reviewing; a review another expert took is not in
    // the queue any more.
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'NULL',
      INSURER: 'NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA / NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a WebhookEndpoint',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: endpointOf(cell) }),
    // An endpoint is its owner's alone: another party's, agents' included, reads as null.
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA / NULL',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'node',
    kind: 'query',
    operation: 'node(id)',
    of: 'a WebhookDelivery',
    objects: 'own / other',
    document: 'query ($id: ID!) { node(id: $id) { id } }',
    variables: (cell) => ({ id: deliveryOf(cell) }),
    // Visible exactly when its endpoint is.
    expected: {
      CUSTOMER: 'NULL',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA / NULL',
      FRAUD_EXPERT: 'NULL',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'notificationPreferences',
    kind: 'query',
    operation: 'notificationPreferences',
    objects: '—',
    document: '{ notificationPreferences { emailMuted emailEnabled } }',
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'notifications',
    kind: 'query',
    operation: 'notifications',
    objects: '—',
    document: '{ notifications(first: 5) { edges { node { id title } } } }',
    expected: {
      CUSTOMER: 'DATA',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'DATA',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'openQuoteRequests',
    kind: 'query',
    operation: 'openQuoteRequests',
    objects: '—',
    document: '{ openQuoteRequests(first: 10) { totalCount } }',
    // The calling insurer's work list: meaningless for anyone else.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'DATA',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'quoteRequest',
    kind: 'query',
    operation: 'quoteRequest(id)',
    objects: 'own / other',
    document: 'query ($id: ID!) { quoteRequest(id: $id) { id } }',
    // requestB was made before ins-a joined the network: it is not addressed to ins-a.
    variables: (cell) => ({ id: side(cell, w.requestA, w.requestB) }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'quoteRequests',
    kind: 'query',
    operation: 'quoteRequests',
    objects: '—',
    document: '{ quoteRequests(first: 10) { totalCount } }',
    // A seller's own requests, or any for agents; insurers use openQuoteRequests.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA',
      INSURER: 'FORBIDDEN',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'sellerCompliance',
    kind: 'query',
    operation: 'sellerCompliance(sellerId)',
    objects: 'own / other',
    document: 'query ($sellerId: ID) { sellerCompliance(sellerId: $sellerId) { compliant } }',
    variables: (cell) => ({ sellerId: side(cell, w.sellerA, w.sellerB) }),
    // A seller its own, an insurer its policyholders', agents any; null otherwise.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA / NULL',
      INSURER: 'DATA / NULL',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'sellerInsuranceProfile',
    kind: 'query',
    operation: 'sellerInsuranceProfile(sellerId)',
    objects: 'own / other',
    document: 'query ($sellerId: ID) { sellerInsuranceProfile(sellerId: $sellerId) { unitsSold } }',
    variables: (cell) => ({ sellerId: side(cell, w.sellerA, w.sellerB) }),
    // Insurers are shown the profile as it stood in each request, not the live one.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA / NULL',
      INSURER: 'FORBIDDEN',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'sensitiveDataAccesses',
    kind: 'query',
    operation: 'sensitiveDataAccesses',
    objects: '—',
    document: '{ sensitiveDataAccesses(first: 10) { totalCount } }',
    // The audit of medical-information reads is the marketplace's.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'webhookEndpoints',
    kind: 'query',
    operation: 'webhookEndpoints',
    objects: '—',
    document: '{ webhookEndpoints(first: 10) { totalCount edges { node { id } } } }',
    // Sellers, insurers and the marketplace's integrations push events to their own systems.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'DATA',
      INSURER: 'DATA',
      AGENT: 'DATA',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },

  // Mutation ---------------------------------------------------------------------------------
  {
    field: 'addClaimEvidence',
    kind: 'mutation',
    operation: 'addClaimEvidence',
    objects: 'own / other',
    document: mutationDocument('addClaimEvidence', 'AddClaimEvidenceInput'),
    // The own claim is settled: refused as not open, which still lets the customer in.
    variables: (cell) => ({ input: { claimId: claimOf(cell), evidence: [freshEvidence()] } }),
    expected: {
      CUSTOMER: 'OK / NOT_FOUND',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'addInsuranceProvider',
    kind: 'mutation',
    operation: 'addInsuranceProvider',
    objects: '—',
    document: mutationDocument('addInsuranceProvider', 'AddInsuranceProviderInput'),
    variables: () => {
      const externalRef = unique('ins-new');
      // NAIC codes are five digits and unique.
      return {
        input: {
          externalRef,
          name: `Provider ${externalRef}`,
          naicCode: String(30_000 + serial),
          financialRating: 'A',
          vetted: false,
        },
      };
    },
    // The network is the marketplace's to manage.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'appealClaim',
    kind: 'mutation',
    operation: 'appealClaim',
    objects: 'own / other',
    document: mutationDocument('appealClaim', 'AppealClaimInput'),
    // The own claim was paid, not denied: refused for its status.
    variables: (cell) => ({
      input: {
        claimId: claimOf(cell),
        statement: 'The denial overlooked the fire report.',
        evidence: [freshEvidence()],
      },
    }),
    // The customer appeals, or an agent for it.
    expected: {
      CUSTOMER: 'OK / NOT_FOUND',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'bindInsuranceQuote',
    kind: 'mutation',
    operation: 'bindInsuranceQuote',
    objects: 'own / other',
    document: mutationDocument('bindInsuranceQuote', 'BindInsuranceQuoteInput'),
    // The own offer is bound by this cell alone.
    variables: (cell) => ({
      input: { quoteId: side(cell, w.offerA, w.quoteOnB), idempotencyKey: unique('bind') },
    }),
    // Binding commits the seller to a premium: the seller's own decision, nobody else's.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'FORBIDDEN',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'cancelInsurancePolicy',
    kind: 'mutation',
    operation: 'cancelInsurancePolicy',
    objects: 'own / other',
    document: mutationDocument('cancelInsurancePolicy', 'CancelInsurancePolicyInput'),
    // The first allowed caller cancels; the next ones are told it is cancelled already.
    variables: (cell) => ({
      input: {
        policyId: side(cell, w.cancellablePolicyA, w.cancellablePolicyB),
        effectiveOn: '2027-06-01',
        reason: 'Cover moves to another insurer.',
      },
    }),
    // The seller, its insurer or an agent.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'createWebhookEndpoint',
    kind: 'mutation',
    operation: 'createWebhookEndpoint',
    objects: '—',
    document: mutationDocument('createWebhookEndpoint', 'CreateWebhookEndpointInput'),
    // Each allowed caller makes one of its own (a .invalid host: nothing is ever sent there).
    variables: () => ({ input: { url: `https://${unique('hooks')}.example.invalid/claims` } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK',
      INSURER: 'OK',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'decideProductDefence',
    kind: 'mutation',
    operation: 'decideProductDefence',
    objects: '—',
    document: mutationDocument('decideProductDefence', 'DecideProductDefenceInput'),
    // Rejecting leaves the recovery as it is.
    variables: () => ({
      input: { claimId: w.withDefence, decision: 'REJECT', reason: 'The photos show a defect.' },
    }),
    // A marketplace decision.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'declineInsuranceQuote',
    kind: 'mutation',
    operation: 'declineInsuranceQuote',
    objects: 'own / other',
    document: mutationDocument('declineInsuranceQuote', 'DeclineInsuranceQuoteInput'),
    // The other side is a competitor's quote on a request addressed to both insurers.
    variables: (cell) => ({
      input: { quoteId: side(cell, w.toDeclineA, w.toDeclineCompetitor), reason: 'Outside our appetite.' },
    }),
    // A partner insurer answers the quotes addressed to it; its price is its own.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'deleteWebhookEndpoint',
    kind: 'mutation',
    operation: 'deleteWebhookEndpoint',
    objects: 'own / other',
    document: mutationDocument('deleteWebhookEndpoint', 'WebhookEndpointInput'),
    // An endpoint no other cell uses: the owner deletes it, nobody else finds it.
    variables: (cell) => ({ input: { endpointId: endpointOf(cell, 'deletable') } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'disableWebhookEndpoint',
    kind: 'mutation',
    operation: 'disableWebhookEndpoint',
    objects: 'own / other',
    document: mutationDocument('disableWebhookEndpoint', 'WebhookEndpointInput'),
    // Disabling twice changes nothing: the order of the cells does not matter.
    variables: (cell) => ({ input: { endpointId: endpointOf(cell) } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'enableWebhookEndpoint',
    kind: 'mutation',
    operation: 'enableWebhookEndpoint',
    objects: 'own / other',
    document: mutationDocument('enableWebhookEndpoint', 'WebhookEndpointInput'),
    // Enabling an active endpoint changes nothing.
    variables: (cell) => ({ input: { endpointId: endpointOf(cell) } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'fileClaim',
    kind: 'mutation',
    operation: 'fileClaim',
    objects: 'own / other',
    document: mutationDocument('fileClaim', 'FileClaimInput'),
    // Another customer's order is indistinguishable from a missing one.
    variables: (cell) => ({ input: claimInput(side(cell, w.unclaimedOrderA, w.unclaimedOrderB)) }),
    // The customer files on its own orders, or an agent on the customer's behalf.
    expected: {
      CUSTOMER: 'OK / NOT_FOUND',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'markNotificationsRead',
    kind: 'mutation',
    operation: 'markNotificationsRead',
    objects: '—',
    document: mutationDocument('markNotificationsRead', 'MarkNotificationsReadInput'),
    variables: () => ({ input: { all: true } }),
    // Marks the caller's own inbox only: every principal may.
    expected: {
      CUSTOMER: 'OK',
      SELLER: 'OK',
      INSURER: 'OK',
      AGENT: 'OK',
      FRAUD_EXPERT: 'OK',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'pickFraudReview',
    kind: 'mutation',
    operation: 'pickFraudReview',
    objects: 'own / other',
    document: mutationDocument('pickFraudReview', 'PickFraudReviewInput'),
    variables: (cell) => ({ input: { reviewId: side(cell, w.reviewA, w.reviewB) } }),
    // Picking one's own review again returns it; a review another expert took is refused with
    // ALREADY_ASSIGNED, the documented answer to two experts picking one review.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'OK',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'recordClaimPayment',
    kind: 'mutation',
    operation: 'recordClaimPayment',
    objects: 'own / other',
    document: mutationDocument('recordClaimPayment', 'RecordClaimPaymentInput'),
    // The own claim was paid by the marketplace: nothing for the seller side to confirm.
    variables: (cell) => ({
      input: { claimId: claimOf(cell), reference: 'wire-1', idempotencyKey: unique('payment') },
    }),
    // The payer (seller or insurer) confirms, or an agent records it.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'recordOrder',
    kind: 'mutation',
    operation: 'recordOrder',
    objects: '—',
    document: mutationDocument('recordOrder', 'RecordOrderInput'),
    variables: () => ({
      input: {
        externalRef: unique('ord-matrix'),
        customerRef: 'cust-a',
        sellerRef: 'sell-a',
        productRef: 'prod-heater',
        quantity: 1,
        price: usd('89.99'),
        purchasedAt: '2026-05-01T10:00:00.000Z',
      },
    }),
    // Reference data comes from the marketplace.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'recordRecoveryPayment',
    kind: 'mutation',
    operation: 'recordRecoveryPayment',
    objects: '—',
    document: mutationDocument('recordRecoveryPayment', 'RecordRecoveryPaymentInput'),
    variables: () => ({
      input: { claimId: w.withRecovery, reference: 'repaid-1', idempotencyKey: unique('recovery') },
    }),
    // The marketplace records what it recovered.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'redeliverWebhookEvent',
    kind: 'mutation',
    operation: 'redeliverWebhookEvent',
    objects: 'own / other',
    document: mutationDocument('redeliverWebhookEvent', 'RedeliverWebhookEventInput'),
    // The own delivery is still pending: refused for its status, which shows the caller was let in.
    variables: (cell) => ({ input: { deliveryId: deliveryOf(cell) } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'registerInsurancePolicy',
    kind: 'mutation',
    operation: 'registerInsurancePolicy',
    objects: 'own / other',
    document: mutationDocument('registerInsurancePolicy', 'RegisterInsurancePolicyInput'),
    // Each side's policy is issued by its own insurer, so no cell makes ins-a an insurer of sell-b.
    variables: (cell) => ({
      input: {
        sellerId: side(cell, w.sellerA, w.sellerB),
        providerId: side(cell, w.providerA, w.providerB),
        policyNumber: unique('REG'),
        effectiveFrom: '2027-01-01',
        effectiveTo: '2027-12-31',
        ...COMPLIANT_COVER,
      },
    }),
    // A seller registers its own cover, or an agent for it.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'reinstateInsuranceProvider',
    kind: 'mutation',
    operation: 'reinstateInsuranceProvider',
    objects: '—',
    document: mutationDocument('reinstateInsuranceProvider', 'InsuranceProviderStatusInput'),
    variables: () => ({ input: { providerId: w.spareProvider } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'requestInsuranceQuotes',
    kind: 'mutation',
    operation: 'requestInsuranceQuotes',
    objects: 'own / other',
    document: mutationDocument('requestInsuranceQuotes', 'RequestInsuranceQuotesInput'),
    variables: (cell) => ({
      input: { sellerId: side(cell, w.sellerA, w.sellerB), idempotencyKey: unique('quotes') },
    }),
    // A seller asks for itself; agents name the seller.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'respondToClaim',
    kind: 'mutation',
    operation: 'respondToClaim',
    objects: 'own / other',
    document: mutationDocument('respondToClaim', 'RespondToClaimInput'),
    // The own claim is settled: refused for its status.
    variables: (cell) => ({ input: { claimId: claimOf(cell), response: 'ACCEPT' } }),
    // The seller's or its insurer's answer: an agent does not answer for them.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'reviewClaim',
    kind: 'mutation',
    operation: 'reviewClaim',
    objects: '—',
    document: mutationDocument('reviewClaim', 'ReviewClaimInput'),
    // A settled claim: the review is refused for its status.
    variables: () => ({
      input: {
        claimId: w.claimA,
        decision: 'STEP_IN',
        reason: 'The seller rejected a valid claim.',
        idempotencyKey: unique('review'),
      },
    }),
    // A marketplace decision.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'rotateWebhookSecret',
    kind: 'mutation',
    operation: 'rotateWebhookSecret',
    objects: 'own / other',
    document: mutationDocument('rotateWebhookSecret', 'WebhookEndpointInput'),
    // Every rotation gives a new secret; none depends on another.
    variables: (cell) => ({ input: { endpointId: endpointOf(cell) } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'sendTestWebhook',
    kind: 'mutation',
    operation: 'sendTestWebhook',
    objects: 'own / other',
    document: mutationDocument('sendTestWebhook', 'WebhookEndpointInput'),
    // A delivery more to the own endpoint (never sent: the tests deliver nothing here).
    variables: (cell) => ({ input: { endpointId: endpointOf(cell) } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'submitFraudReview',
    kind: 'mutation',
    operation: 'submitFraudReview',
    objects: 'own / other',
    document: mutationDocument('submitFraudReview', 'SubmitFraudReviewInput'),
    // The own referral is one no other cell uses; the other is expert-2's.
    variables: (cell) => ({
      input: {
        claimId: side(cell, w.toDecide, w.referredB),
        finding: 'UNSUBSTANTIATED',
        rationale: 'The delivery record contradicts the account.',
      },
    }),
    // The finding is the independent expert's, on a claim it picked.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'OK / NOT_FOUND',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'submitInsuranceQuote',
    kind: 'mutation',
    operation: 'submitInsuranceQuote',
    objects: 'own / other',
    document: mutationDocument('submitInsuranceQuote', 'SubmitInsuranceQuoteInput'),
    variables: (cell) => ({
      input: {
        quoteId: side(cell, w.toPriceA, w.toPriceCompetitor),
        annualPremium: usd('1500.00'),
        validUntil: new Date(t.clock.now().getTime() + 30 * DAY).toISOString(),
        ...COMPLIANT_COVER,
      },
    }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'submitProductDefence',
    kind: 'mutation',
    operation: 'submitProductDefence',
    objects: 'own / other',
    document: mutationDocument('submitProductDefence', 'SubmitProductDefenceInput'),
    // The marketplace paid the own claim: the first of the seller side submits a defence, the
    // other is told one already awaits a decision.
    variables: (cell) => ({
      input: { claimId: claimOf(cell), statement: 'The heater was used outdoors in the rain.' },
    }),
    // The seller (or its insurer, which bears a recovery) defends the product.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'FORBIDDEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'suspendInsuranceProvider',
    kind: 'mutation',
    operation: 'suspendInsuranceProvider',
    objects: '—',
    document: mutationDocument('suspendInsuranceProvider', 'InsuranceProviderStatusInput'),
    variables: () => ({ input: { providerId: w.spareProvider } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'updateInsuranceProvider',
    kind: 'mutation',
    operation: 'updateInsuranceProvider',
    objects: '—',
    document: mutationDocument('updateInsuranceProvider', 'UpdateInsuranceProviderInput'),
    variables: () => ({ input: { providerId: w.spareProvider, name: 'Spare Assurance Ltd' } }),
    // An insurer does not rate itself.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'updateNotificationPreferences',
    kind: 'mutation',
    operation: 'updateNotificationPreferences',
    objects: '—',
    document: mutationDocument('updateNotificationPreferences', 'UpdateNotificationPreferencesInput'),
    variables: () => ({ input: { emailMuted: ['RESPONSE_REMINDER'] } }),
    expected: {
      CUSTOMER: 'OK',
      SELLER: 'OK',
      INSURER: 'OK',
      AGENT: 'OK',
      FRAUD_EXPERT: 'OK',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'updateSellerInsuranceProfile',
    kind: 'mutation',
    operation: 'updateSellerInsuranceProfile',
    objects: 'own / other',
    document: mutationDocument('updateSellerInsuranceProfile', 'UpdateSellerInsuranceProfileInput'),
    variables: (cell) => ({ input: { sellerId: side(cell, w.sellerA, w.sellerB), ...PROFILE } }),
    // A seller describes its own business; agents name the seller.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'updateWebhookEndpoint',
    kind: 'mutation',
    operation: 'updateWebhookEndpoint',
    objects: 'own / other',
    document: mutationDocument('updateWebhookEndpoint', 'UpdateWebhookEndpointInput'),
    // The same description each time.
    variables: (cell) => ({ input: { endpointId: endpointOf(cell), description: 'Claims to the ERP' } }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'OK / NOT_FOUND',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK / NOT_FOUND',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'upsertCustomer',
    kind: 'mutation',
    operation: 'upsertCustomer',
    objects: '—',
    document: mutationDocument('upsertCustomer', 'UpsertCustomerInput'),
    variables: () => ({
      input: { externalRef: 'cust-a', name: 'Ada Customer', email: 'cust-a@example.com' },
    }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'upsertProduct',
    kind: 'mutation',
    operation: 'upsertProduct',
    objects: '—',
    document: mutationDocument('upsertProduct', 'UpsertProductInput'),
    variables: () => ({
      input: { externalRef: 'prod-heater', name: 'Space heater', category: 'home', price: usd('89.99') },
    }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'upsertSeller',
    kind: 'mutation',
    operation: 'upsertSeller',
    objects: '—',
    document: mutationDocument('upsertSeller', 'UpsertSellerInput'),
    variables: () => ({
      input: { externalRef: 'sell-a', name: 'Alpha Goods', contactEmail: 'sell-a@example.com' },
    }),
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'verifyInsurancePolicy',
    kind: 'mutation',
    operation: 'verifyInsurancePolicy',
    objects: 'own / other',
    document: mutationDocument('verifyInsurancePolicy', 'VerifyInsurancePolicyInput'),
    // The first allowed caller verifies; the next one is told it is verified already.
    variables: (cell) => ({
      input: { policyId: side(cell, w.pendingPolicyA, w.pendingPolicyB), confirmed: true },
    }),
    // An agent or the issuing insurer: a seller does not verify its own cover.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'OK / NOT_FOUND',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'withdrawClaim',
    kind: 'mutation',
    operation: 'withdrawClaim',
    objects: 'own / other',
    document: mutationDocument('withdrawClaim', 'WithdrawClaimInput'),
    // The own claim was paid: too late to withdraw, refused for its status.
    variables: (cell) => ({ input: { claimId: claimOf(cell), reason: 'Settled privately.' } }),
    expected: {
      CUSTOMER: 'OK / NOT_FOUND',
      SELLER: 'FORBIDDEN',
      INSURER: 'FORBIDDEN',
      AGENT: 'OK',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },

  // Subscription -----------------------------------------------------------------------------
  {
    field: 'claimEvents',
    kind: 'subscription',
    operation: 'claimEvents',
    objects: 'own / other',
    document: 'subscription ($claimId: ID) { claimEvents(filter: { claimId: $claimId }) { cursor claimId } }',
    variables: (cell) => ({ claimId: claimOf(cell) }),
    // The full stream is for insurers and agents (others get FORBIDDEN); another party's claim
    // id is accepted and simply delivers nothing, as a guessed id reads as null elsewhere.
    expected: {
      CUSTOMER: 'FORBIDDEN',
      SELLER: 'FORBIDDEN',
      INSURER: 'OPEN',
      AGENT: 'OPEN',
      FRAUD_EXPERT: 'FORBIDDEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'claimStatusChanged',
    kind: 'subscription',
    operation: 'claimStatusChanged',
    objects: 'own / other',
    document: 'subscription ($claimId: ID) { claimStatusChanged(claimId: $claimId) { cursor claimId } }',
    variables: (cell) => ({ claimId: claimOf(cell) }),
    // Every role follows the claims it may see; another party's claim delivers nothing.
    expected: {
      CUSTOMER: 'OPEN',
      SELLER: 'OPEN',
      INSURER: 'OPEN',
      AGENT: 'OPEN',
      FRAUD_EXPERT: 'OPEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
  {
    field: 'notificationReceived',
    kind: 'subscription',
    operation: 'notificationReceived',
    objects: '—',
    document: 'subscription { notificationReceived { id title } }',
    // Every principal follows its own inbox.
    expected: {
      CUSTOMER: 'OPEN',
      SELLER: 'OPEN',
      INSURER: 'OPEN',
      AGENT: 'OPEN',
      FRAUD_EXPERT: 'OPEN',
      ANONYMOUS: 'UNAUTHENTICATED',
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Running a cell

interface ExpectedCell extends Cell {
  expected: string;
}

function cellsOf(row: MatrixRow): ExpectedCell[] {
  const expected = row.expected as Record<Caller, string>;
  if (row.objects === '—')
    return CALLERS.map((caller) => ({ caller, column: 'none' as const, expected: expected[caller] }));
  return CALLERS.flatMap((caller): ExpectedCell[] => {
    if (caller === 'ANONYMOUS') return [{ caller, column: 'own', expected: expected[caller] }];
    const [own, other = own] = expected[caller].split(' / ');
    return [
      { caller, column: 'own', expected: own },
      { caller, column: 'other', expected: other },
    ];
  });
}

function cellName(cell: ExpectedCell): string {
  if (cell.caller === 'ANONYMOUS') return `anonymous caller: ${cell.expected}`;
  const object = { own: 'on its own object', other: "on another party's object", none: '' }[cell.column];
  return `${cell.caller}${object ? ` ${object}` : ''}: ${cell.expected}`;
}

function rowName(row: MatrixRow): string {
  return `${row.operation}${row.of ? ` of ${row.of}` : ''} (${row.kind})`;
}

interface Observed {
  outcome: string;
  /** What the server answered, for the failure message. */
  detail: string;
}

const isNotFound = (code: string) => /(^|_)NOT_FOUND$/.test(code);

function deniedOrError(errors: readonly GraphQLFormattedError[]): string {
  const codes = errors.map((error) => {
    const code = error.extensions?.code;
    return typeof code === 'string' ? code : 'NO_CODE';
  });
  if (codes.length === 1 && (codes[0] === 'UNAUTHENTICATED' || codes[0] === 'FORBIDDEN')) return codes[0];
  return `ERROR ${codes.join(', ')}`;
}

async function overHttp(row: MatrixRow, cell: Cell, variables: Variables): Promise<Observed> {
  const client = clients.get(cell.caller)!;
  const response = await client.post({ query: row.document, variables });
  const detail = JSON.stringify({ status: response.status, errors: response.errors, data: response.data });
  if (response.errors?.length) return { outcome: deniedOrError(response.errors), detail };
  const value = (response.data as Record<string, unknown> | null | undefined)?.[row.field];
  if (row.kind === 'query') return { outcome: value == null ? 'NULL' : 'DATA', detail };
  const payload = value as { userErrors?: { code: string }[] } | null | undefined;
  if (!payload?.userErrors) return { outcome: 'ERROR no payload', detail };
  return { outcome: payload.userErrors.some((error) => isNotFound(error.code)) ? 'NOT_FOUND' : 'OK', detail };
}

/** How long an accepted subscription must stay free of errors to count as OPEN. */
const SUBSCRIPTION_SETTLE_MS = 300;

async function overWebSocket(row: MatrixRow, cell: Cell, variables: Variables): Promise<Observed> {
  const token = clients.get(cell.caller)!.token;
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
    retryAttempts: 0,
  });
  try {
    return await new Promise<Observed>((resolve) => {
      let settled = false;
      const finish = (outcome: string, detail: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(guard);
        resolve({ outcome, detail });
      };
      // The wait starts once the server accepted the connection; a refused token never gets there.
      client.on('connected', () => {
        setTimeout(() => finish('OPEN', 'no error while subscribed'), SUBSCRIPTION_SETTLE_MS);
      });
      // A bound for a server that never answers, not for a slow one.
      const guard = setTimeout(
        () => finish('NO ANSWER', 'neither accepted nor refused within 120 s'),
        120_000,
      );
      client.subscribe(
        { query: row.document, variables },
        {
          next: (result) => {
            if (result.errors?.length) finish(deniedOrError(result.errors), JSON.stringify(result.errors));
          },
          error: (error) => {
            // graphql-ws hands the close event to the sink when the server closes the socket.
            const closed = error as { code?: unknown; reason?: unknown };
            if (typeof closed.code === 'number') {
              const outcome = closed.code === 4401 ? 'UNAUTHENTICATED' : `CLOSED ${closed.code}`;
              finish(outcome, `closed ${closed.code} ${String(closed.reason)}`);
            } else if (Array.isArray(error)) {
              finish(deniedOrError(error as GraphQLFormattedError[]), JSON.stringify(error));
            } else {
              finish(`ERROR ${String(error)}`, String(error));
            }
          },
          complete: () => finish('COMPLETED', 'the server ended the subscription'),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

async function observe(row: MatrixRow, cell: Cell): Promise<Observed> {
  const variables = (await row.variables?.(cell)) ?? {};
  return row.kind === 'subscription' ? overWebSocket(row, cell, variables) : overHttp(row, cell, variables);
}

// ---------------------------------------------------------------------------------------------
// Building the world through the API

type Payload = Record<string, any>;

async function request(client: GraphQLClient, query: string, variables: Variables = {}): Promise<Payload> {
  const response = await client.post({ query, variables });
  if (response.errors?.length || !response.data) {
    throw new Error(`setting up the matrix failed: ${JSON.stringify(response.errors)} for ${query}`);
  }
  return response.data;
}

/** Runs a mutation that must succeed and returns its payload. */
async function mutate(
  client: GraphQLClient,
  field: string,
  inputType: string,
  input: Variables,
  selection = '',
): Promise<Payload> {
  const data = await request(
    client,
    `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${selection} userErrors { field code message } } }`,
    { input },
  );
  const payload = data[field];
  if (payload.userErrors.length > 0)
    throw new Error(`setting up the matrix: ${field} was refused: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

beforeAll(async () => {
  t = await startTestServer();
  const market = await seedMarketplace(t);
  for (const caller of CALLERS) {
    clients.set(
      caller,
      caller === 'ANONYMOUS' ? t.anonymous() : await t.as(Role[caller], PRINCIPALS[caller]),
    );
  }
  const agent = clients.get('AGENT')!;
  const as = (role: Role, subject: string) => t.as(role, subject);
  const sellerA = clients.get('SELLER')!;
  const sellerB = await as(Role.SELLER, 'sell-b');
  const insurerA = clients.get('INSURER')!;

  const addProvider = async (externalRef: string, name: string, naicCode: string, vetted: boolean) =>
    (
      await mutate(
        agent,
        'addInsuranceProvider',
        'AddInsuranceProviderInput',
        { externalRef, name, naicCode, financialRating: 'A', vetted },
        'provider { id }',
      )
    ).provider.id as string;
  // ins-a stays out of the network until sell-b has asked for quotes, so that one request is not addressed to it.
  const providerA = await addProvider('ins-a', 'Acme Mutual', '20001', false);
  const providerB = await addProvider('ins-b', 'Beacon Casualty', '20002', true);
  const spareProvider = await addProvider('ins-spare', 'Spare Assurance', '20003', false);

  const register = async (
    seller: GraphQLClient,
    providerId: string,
    policyNumber: string,
    effectiveFrom: string,
    effectiveTo: string,
  ) =>
    (
      await mutate(
        seller,
        'registerInsurancePolicy',
        'RegisterInsurancePolicyInput',
        { providerId, policyNumber, effectiveFrom, effectiveTo, ...COMPLIANT_COVER },
        'policy { id }',
      )
    ).policy.id as string;
  // An agent verifies, so that the insurer rows see a verified policy whoever they are.
  const verify = (policyId: string) =>
    mutate(agent, 'verifyInsurancePolicy', 'VerifyInsurancePolicyInput', { policyId, confirmed: true });
  // Each seller is insured by its own side's insurer on every incident day below.
  const policyA = await register(sellerA, providerA, 'ACME-2026-A', '2026-01-01', '2026-12-31');
  await verify(policyA);
  const policyB = await register(sellerB, providerB, 'BEACON-2026-B', '2026-01-01', '2026-12-31');
  await verify(policyB);
  const pendingPolicyA = await register(sellerA, providerA, 'ACME-2027-A', '2027-01-01', '2027-12-31');
  const pendingPolicyB = await register(sellerB, providerB, 'BEACON-2027-B', '2027-01-01', '2027-12-31');
  const cancellablePolicyA = await register(sellerA, providerA, 'ACME-2027-A-2', '2027-01-01', '2027-12-31');
  const cancellablePolicyB = await register(
    sellerB,
    providerB,
    'BEACON-2027-B-2',
    '2027-01-01',
    '2027-12-31',
  );

  // An uninsured seller: its concessions open recoveries.
  await mutate(agent, 'upsertSeller', 'UpsertSellerInput', {
    externalRef: 'sell-c',
    name: 'Gamma Outlet',
    contactEmail: 'sell-c@example.com',
  });
  for (const customerRef of ['cust-r3', 'cust-c1', 'cust-c2']) await establishedCustomer(t, customerRef);
  const recordOrder = async (externalRef: string, customerRef: string, sellerRef: string) =>
    (
      await mutate(
        agent,
        'recordOrder',
        'RecordOrderInput',
        {
          externalRef,
          customerRef,
          sellerRef,
          productRef: 'prod-heater',
          quantity: 1,
          price: usd('89.99'),
          purchasedAt: '2026-05-01T10:00:00.000Z',
          deliveredAt: '2026-05-04T15:00:00.000Z',
        },
        'order { id }',
      )
    ).order.id as string;
  const orderReferredB = await recordOrder('ord-b-review', 'cust-b', 'sell-b');
  const orderToDecide = await recordOrder('ord-r3', 'cust-r3', 'sell-b');
  const orderC1 = await recordOrder('ord-c1', 'cust-c1', 'sell-c');
  const orderC2 = await recordOrder('ord-c2', 'cust-c2', 'sell-c');
  const unclaimedOrderA = await recordOrder('ord-a-unclaimed', 'cust-a', 'sell-a');
  const unclaimedOrderB = await recordOrder('ord-b-unclaimed', 'cust-b', 'sell-b');

  const file = async (customerRef: string, orderId: string, overrides: Variables = {}) =>
    (
      await mutate(
        await as(Role.CUSTOMER, customerRef),
        'fileClaim',
        'FileClaimInput',
        { ...claimInput(orderId), ...overrides },
        'claim { id }',
      )
    ).claim.id as string;
  // An incident before delivery is a strong enough signal to refer the claim to an expert.
  const beforeDelivery = { incidentDate: '2026-05-02' };
  const claimA = await file('cust-a', market.orders['ord-a1'].id);
  const claimB = await file('cust-b', market.orders['ord-b2'].id);
  const referredA = await file('cust-a', market.orders['ord-a3'].id, beforeDelivery);
  const referredB = await file('cust-b', orderReferredB, beforeDelivery);
  const toDecide = await file('cust-r3', orderToDecide, beforeDelivery);
  const withRecovery = await file('cust-c1', orderC1);
  const withDefence = await file('cust-c2', orderC2);
  await t.runJobs();
  // Past the insurance grace period: the recoveries against the uninsured seller are open.
  t.clock.advance(8 * DAY);
  await t.runJobs();

  const CLAIM = `query ($id: ID!) { claim(id: $id) { status order { id } timeline { id } fraudReview { id } recovery { status } } }`;
  const claims: Record<string, Payload> = {};
  for (const [name, id] of Object.entries({
    claimA,
    claimB,
    referredA,
    referredB,
    toDecide,
    withRecovery,
    withDefence,
  })) {
    claims[name] = (await request(agent, CLAIM, { id })).claim;
  }
  // The cells rely on these states: check them rather than assume them.
  expect(
    Object.fromEntries(
      Object.entries(claims).map(([name, claim]) => [name, [claim.status, claim.recovery?.status ?? null]]),
    ),
  ).toEqual({
    claimA: ['CLOSED', null],
    claimB: ['CLOSED', null],
    referredA: ['EXPERT_REVIEW', null],
    referredB: ['EXPERT_REVIEW', null],
    toDecide: ['EXPERT_REVIEW', null],
    withRecovery: ['PAID', 'OPEN'],
    withDefence: ['PAID', 'OPEN'],
  });
  await mutate(await as(Role.SELLER, 'sell-c'), 'submitProductDefence', 'SubmitProductDefenceInput', {
    claimId: withDefence,
    statement: 'The heater was modified by the customer.',
  });
  const expertOne = clients.get('FRAUD_EXPERT')!;
  const expertTwo = await as(Role.FRAUD_EXPERT, 'expert-2');
  const pick = (expert: GraphQLClient, reviewId: string) =>
    mutate(expert, 'pickFraudReview', 'PickFraudReviewInput', { reviewId });
  await pick(expertOne, claims.referredA.fraudReview.id);
  await pick(expertTwo, claims.referredB.fraudReview.id);
  await pick(expertOne, claims.toDecide.fraudReview.id);
  // The experts' picks are the referred claims' latest events: the first each expert receives.
  for (const [name, id] of Object.entries({ referredA, referredB })) {
    claims[name] = (await request(agent, CLAIM, { id })).claim;
  }

  for (const seller of [sellerA, sellerB]) {
    await mutate(seller, 'updateSellerInsuranceProfile', 'UpdateSellerInsuranceProfileInput', PROFILE);
  }
  const requestQuotes = async (seller: GraphQLClient) =>
    (
      await mutate(
        seller,
        'requestInsuranceQuotes',
        'RequestInsuranceQuotesInput',
        { idempotencyKey: unique('fixture-quotes') },
        'quoteRequest { id }',
      )
    ).quoteRequest.id as string;
  const requestB = await requestQuotes(sellerB);
  await mutate(agent, 'updateInsuranceProvider', 'UpdateInsuranceProviderInput', {
    providerId: providerA,
    vetted: true,
  });
  const requestA = await requestQuotes(sellerA);
  const requestToPrice = await requestQuotes(sellerA);
  const requestToDecline = await requestQuotes(sellerA);
  const QUOTES = `query ($id: ID!) { quoteRequest(id: $id) { quotes(first: 10) { edges { node { id status provider { externalRef } } } } } }`;
  const quoteOf = async (requestId: string, insurerRef: string): Promise<string> => {
    const { quoteRequest } = await request(agent, QUOTES, { id: requestId });
    const quotes = quoteRequest.quotes.edges.map((edge: Payload) => edge.node);
    const quote = quotes.find((node: Payload) => node.provider.externalRef === insurerRef);
    if (!quote || quote.status !== 'PENDING')
      throw new Error(`no pending quote of ${insurerRef}: ${JSON.stringify(quotes)}`);
    return quote.id;
  };
  const offerA = await quoteOf(requestA, 'ins-a');
  await mutate(insurerA, 'submitInsuranceQuote', 'SubmitInsuranceQuoteInput', {
    quoteId: offerA,
    annualPremium: usd('1200.00'),
    validUntil: new Date(t.clock.now().getTime() + 30 * DAY).toISOString(),
    ...COMPLIANT_COVER,
  });

  // Webhook endpoints with one delivery each, which stays pending: nothing is delivered here.
  const endpoints = {} as World['endpoints'];
  const deliveries = {} as World['deliveries'];
  const OWNERS = {
    SELLER: ['sell-a', 'sell-b'],
    INSURER: ['ins-a', 'ins-b'],
    AGENT: ['agent-matrix', 'agent-other'],
  } as const;
  for (const [role, [ownSubject, otherSubject]] of Object.entries(OWNERS) as [
    keyof typeof OWNERS,
    readonly [string, string],
  ][]) {
    const made: string[] = [];
    const sent: string[] = [];
    for (const subject of [ownSubject, otherSubject, ownSubject]) {
      const owner = await as(Role[role], subject);
      const endpointId = (
        await mutate(
          owner,
          'createWebhookEndpoint',
          'CreateWebhookEndpointInput',
          { url: `https://${unique('fixture-hooks')}.example.invalid/claims` },
          'endpoint { id }',
        )
      ).endpoint.id as string;
      made.push(endpointId);
      sent.push(
        (await mutate(owner, 'sendTestWebhook', 'WebhookEndpointInput', { endpointId }, 'delivery { id }'))
          .delivery.id as string,
      );
    }
    endpoints[role] = { own: made[0], other: made[1], deletable: made[2] };
    deliveries[role] = { own: sent[0], other: sent[1] };
  }

  w = {
    endpoints,
    deliveries,
    claimA,
    claimB,
    referredA,
    referredB,
    toDecide,
    withRecovery,
    withDefence,
    // Events every party of its side sees: the settled claims' last, the referred claims' picks.
    eventA: claims.claimA.timeline.at(-1).id,
    eventB: claims.claimB.timeline.at(-1).id,
    eventReferredA: claims.referredA.timeline.at(-1).id,
    eventReferredB: claims.referredB.timeline.at(-1).id,
    orderA: claims.claimA.order.id,
    orderB: claims.claimB.order.id,
    orderReferredA: claims.referredA.order.id,
    orderReferredB: claims.referredB.order.id,
    unclaimedOrderA,
    unclaimedOrderB,
    customerA: market.customers['cust-a'],
    customerB: market.customers['cust-b'],
    sellerA: market.sellers['sell-a'],
    sellerB: market.sellers['sell-b'],
    product: market.products['prod-heater'],
    providerA,
    providerB,
    spareProvider,
    policyA,
    policyB,
    pendingPolicyA,
    pendingPolicyB,
    cancellablePolicyA,
    cancellablePolicyB,
    reviewA: claims.referredA.fraudReview.id,
    reviewB: claims.referredB.fraudReview.id,
    requestA,
    requestB,
    offerA,
    competitorQuoteOnA: await quoteOf(requestA, 'ins-b'),
    quoteOnB: await quoteOf(requestB, 'ins-b'),
    toPriceA: await quoteOf(requestToPrice, 'ins-a'),
    toPriceCompetitor: await quoteOf(requestToPrice, 'ins-b'),
    toDeclineA: await quoteOf(requestToDecline, 'ins-a'),
    toDeclineCompetitor: await quoteOf(requestToDecline, 'ins-b'),
  };
});

afterAll(async () => {
  await t?.stop();
});

// ---------------------------------------------------------------------------------------------
// The table itself

const ROOT_KINDS = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' } as const;

describe('the authorization matrix', () => {
  it('has a row for every root field of Query, Mutation and Subscription, and none for a field the schema lacks', async () => {
    const schema = await buildClaimgraphSchema();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (type): type is GraphQLObjectType => type != null,
    );
    const schemaFields = roots.flatMap((type) =>
      Object.keys(type.getFields()).map(
        (name) => `${ROOT_KINDS[type.name as keyof typeof ROOT_KINDS]} ${name}`,
      ),
    );
    const rowFields = new Set(MATRIX.map((row) => `${row.kind} ${row.field}`));
    expect(
      schemaFields.filter((field) => !rowFields.has(field)),
      'root fields without a row',
    ).toEqual([]);
    expect(
      [...rowFields].filter((field) => !schemaFields.includes(field)),
      'rows of fields the schema lacks',
    ).toEqual([]);
  });

  it('runs in each row one operation of the row kind that selects exactly the row field', () => {
    const mismatches = MATRIX.flatMap((row) => {
      const operation = getOperationAST(parse(row.document));
      const selections = operation?.selectionSet.selections ?? [];
      const selected = selections.map((selection) => (selection as FieldNode).name?.value);
      return String(operation?.operation) === row.kind && selected.length === 1 && selected[0] === row.field
        ? []
        : [rowName(row)];
    });
    expect(mismatches).toEqual([]);
  });

  it('names each row once', () => {
    const names = MATRIX.map(rowName);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('is the table docs/authorization.md shows, row for row', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'authorization.md'), 'utf8');
    const table = doc.split('<!-- matrix -->')[1]?.split('<!-- /matrix -->')[0] ?? '';
    // The header and the separator line come first.
    const shown = table
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2);
    expect(shown).toEqual(MATRIX.map(docLine));
  });
});

/** The row as docs/authorization.md shows it. */
function docLine(row: MatrixRow): string {
  const expected = row.expected as Record<Caller, string>;
  const operation = `\`${row.operation}\`${row.of ? ` of ${row.of}` : ''}`;
  return `| ${operation} | ${row.kind} | ${row.objects} | ${CALLERS.map((caller) => expected[caller]).join(' | ')} |`;
}

for (const row of MATRIX) {
  const name = rowName(row);
  describe(name, () => {
    for (const cell of cellsOf(row)) {
      // Subscription cells mostly wait to see that nothing goes wrong: they wait together.
      const test = row.kind === 'subscription' ? it.concurrent : it;
      test(cellName(cell), async ({ expect }) => {
        const observed = await observe(row, cell);
        expect(observed.outcome, observed.detail).toBe(cell.expected);
      });
    }
  });
}
