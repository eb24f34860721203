import { createHash } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { loadConfig } from '../src/config';
import { ClaimStatus } from '../src/entities/claim-status';
import { Claim } from '../src/entities/claim.entity';
import { Order } from '../src/entities/order.entity';
import { FraudFinding } from '../src/entities/fraud-review.entity';
import { InsurancePolicy, PolicyVerificationStatus } from '../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { Seller } from '../src/entities/seller.entity';
import { localIdOf } from '../src/graphql/global-id';
import { CUSTOMER_REASONS } from '../src/services/screening/fraud-review.service';
import { PRODUCT_CLAIMS_COUNTED_UP_TO } from '../src/services/screening/screening-facts';
import { ScreeningService } from '../src/services/screening/screening.service';
import {
  checkPolicy,
  DEFAULT_SCREENING_POLICY,
  loadScreeningPolicy,
  withDigest,
  type WeightBand,
} from '../src/services/screening/screening-policy';
import {
  type ClaimDecisionKind,
  type ClaimEventType,
  type EvidenceInput,
  FileClaimDocument,
  type FileClaimInput,
  RecordOrderDocument,
  type ReviewPriority,
  ScreenedClaimDocument,
  type ScreenedClaimFragment,
  ScreenedClaimIdsDocument,
  type ScreeningOutcome,
  ScreeningPickReviewDocument,
  type ScreeningSignalCategory,
  type ScreeningSignalCode,
  ScreeningSubmitFindingDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { claimInput, COMPLIANT_TERMS } from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { screeningPolicyFile } from './support/screening-policy';
import { startTestServer, TEST_NOW, type TestServer } from './support/test-server';
import { at, clockAt, DAY, HOUR } from './support/time';
import { sleep, until } from './support/waiting';

/**
 * Fraud and abuse screening over HTTP: each signal on its own, each outcome of the policy, the
 * policy as configuration, deterministic assessments, and what the other parties see (nothing)
 * of a claim that screening held back. One server serves the file; every test makes its own
 * customers, sellers, products and orders, so that no test's history reaches another's.
 */

const POLICY = DEFAULT_SCREENING_POLICY;
const DEFAULT_DIGEST = withDigest(POLICY).digest;

let t: TestServer;
let market: Market;
const sockets: Client[] = [];

beforeAll(async () => {
  t = await startTestServer();
  market = await Market.on(t);
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => Promise.resolve(socket.dispose())));
  await t?.stop();
});

// Tests that move the clock put it back for the next one.
beforeEach(() => t.clock.set(TEST_NOW));

// ---------------------------------------------------------------------------------------------
// A marketplace per test

type Signal = NonNullable<ScreenedClaimFragment['screening']>['signals'][number];

interface Party {
  ref: string;
  client: GraphQLClient;
}

/** An insured seller (so concessions close at once) and one product of its, at `price`. */
interface Shop {
  seller: Party;
  insurerRef: string;
  productRef: string;
  price: string;
}

interface OrderOptions {
  price?: string;
  purchasedAt?: string;
  /** null: not delivered (yet). */
  deliveredAt?: string | null;
  deliveryAddress?: string;
}

interface Filed {
  id: string;
  number: string;
}

let serial = 0;

/** A reference no other test uses. */
function fresh(prefix: string): string {
  serial += 1;
  return `scr-${prefix}-${serial}`;
}

/** Evidence whose content no other filing has, unless `label` is given to another filing too. */
function evidence(label: string): EvidenceInput {
  return {
    kind: 'PHOTO',
    description: `Photo ${label}`,
    contentHash: `sha256:${createHash('sha256').update(`screening-${label}`).digest('hex')}`,
    uri: `https://files.example.com/${label}.jpg`,
  };
}

/** Reference data written by an agent, and claims filed by customers, on one server. */
class Market {
  private constructor(
    readonly server: TestServer,
    readonly agent: GraphQLClient,
  ) {}

  static async on(server: TestServer): Promise<Market> {
    return new Market(server, await server.agent());
  }

  private pastShop?: Promise<Shop>;

  /**
   * A customer; an established one (the default) bought something in January 2025, so that its
   * account's age is no signal in tests about other signals.
   */
  async customer(options: { established?: boolean } = {}): Promise<Party> {
    const ref = fresh('cust');
    const { upsertCustomer } = await this.agent.data(UpsertCustomerDocument, {
      input: { externalRef: ref, name: `Customer ${ref}`, email: `${ref}@example.com` },
    });
    expect(upsertCustomer.userErrors).toEqual([]);
    const customer = { ref, client: await this.server.as(Role.CUSTOMER, ref) };
    if (options.established ?? true) {
      this.pastShop ??= this.shop('24.99');
      await this.order(customer, await this.pastShop, {
        purchasedAt: '2025-01-10T10:00:00.000Z',
        deliveredAt: '2025-01-14T15:00:00.000Z',
      });
    }
    return customer;
  }

  async shop(price = '89.99'): Promise<Shop> {
    const sellerRef = fresh('sell');
    const { upsertSeller } = await this.agent.data(UpsertSellerDocument, {
      input: {
        externalRef: sellerRef,
        name: `Seller ${sellerRef}`,
        contactEmail: `${sellerRef}@example.com`,
      },
    });
    expect(upsertSeller.userErrors).toEqual([]);
    const productRef = fresh('prod');
    const { upsertProduct } = await this.agent.data(UpsertProductDocument, {
      input: {
        externalRef: productRef,
        name: `Heater ${productRef}`,
        category: 'home',
        price: { amount: price, currencyCode: 'USD' },
      },
    });
    expect(upsertProduct.userErrors).toEqual([]);
    const insurerRef = `ins-${sellerRef}`;
    await this.insure(sellerRef, insurerRef);
    return {
      seller: { ref: sellerRef, client: await this.server.as(Role.SELLER, sellerRef) },
      insurerRef,
      productRef,
      price,
    };
  }

  /** A verified policy covering every incident date the tests use, so concessions close at once. */
  private async insure(sellerRef: string, insurerRef: string): Promise<void> {
    const em = this.server.orm.em.fork();
    em.create(InsurancePolicy, {
      seller: await em.findOneOrFail(Seller, { externalRef: sellerRef }),
      provider: em.create(InsuranceProvider, { externalRef: insurerRef, name: `Insurer ${insurerRef}` }),
      policyNumber: `POL-${sellerRef}`,
      effectiveFrom: '2023-01-01',
      effectiveTo: '2026-12-31',
      verificationStatus: PolicyVerificationStatus.VERIFIED,
      ...COMPLIANT_TERMS,
    });
    await em.flush();
  }

  /** An order of `customer` at `shop`, bought 2026-05-01 and delivered 2026-05-04 unless told otherwise. */
  async order(customer: Party, shop: Shop, options: OrderOptions = {}): Promise<string> {
    const deliveredAt = options.deliveredAt === undefined ? '2026-05-04T15:00:00.000Z' : options.deliveredAt;
    const { recordOrder } = await this.agent.data(RecordOrderDocument, {
      input: {
        externalRef: fresh('ord'),
        customerRef: customer.ref,
        sellerRef: shop.seller.ref,
        productRef: shop.productRef,
        quantity: 1,
        price: { amount: options.price ?? shop.price, currencyCode: 'USD' },
        purchasedAt: options.purchasedAt ?? '2026-05-01T10:00:00.000Z',
        ...(deliveredAt === null ? {} : { deliveredAt }),
        ...(options.deliveryAddress ? { deliveryAddress: options.deliveryAddress } : {}),
      },
    });
    expect(recordOrder.userErrors).toEqual([]);
    return recordOrder.order!.id;
  }

  /** Files without screening yet: 250.00 of property damage on 2026-06-01 unless overridden. */
  async file(customer: Party, orderId: string, overrides: Partial<FileClaimInput> = {}): Promise<Filed> {
    const { fileClaim } = await customer.client.data(FileClaimDocument, {
      input: claimInput(orderId, overrides),
    });
    expect(fileClaim.userErrors).toEqual([]);
    return { id: fileClaim.claim!.id, number: fileClaim.claim!.number };
  }

  /** Files, runs the screening job, and returns the claim as an agent sees it. */
  async screen(
    customer: Party,
    orderId: string,
    overrides: Partial<FileClaimInput> = {},
  ): Promise<ScreenedClaimFragment> {
    const filed = await this.file(customer, orderId, overrides);
    await this.server.runJobs();
    return this.read(filed.id);
  }

  /** The claim as an agent sees it: everything. */
  async read(claimId: string): Promise<ScreenedClaimFragment> {
    const claim = await this.view(this.agent, claimId);
    expect(claim).not.toBeNull();
    return claim!;
  }

  /** The claim as `viewer` sees it, or null. */
  async view(viewer: GraphQLClient, claimId: string): Promise<ScreenedClaimFragment | null> {
    return (await viewer.data(ScreenedClaimDocument, { id: claimId })).claim;
  }
}

// ---------------------------------------------------------------------------------------------
// Expected screenings

function signal(
  code: ScreeningSignalCode,
  weight: number,
  evidenceText: string,
  category: ScreeningSignalCategory = 'CUSTOMER_RISK',
): Signal {
  return { code, category, weight, evidence: evidenceText };
}

/**
 * The screening the default policy gives a claim with `signals`, done at the current clock: the
 * weights add up to at most 100, compared with referAt and highPriorityAt. The outcome tests pin
 * those thresholds down with explicit numbers; the signal tests follow the policy's weights.
 */
function screened(signals: Signal[], hardRule?: 'DENY') {
  const riskScore = Math.min(
    100,
    signals.reduce((sum, item) => sum + item.weight, 0),
  );
  const [outcome, priority]: [ScreeningOutcome, ReviewPriority | null] = hardRule
    ? [hardRule, null]
    : riskScore >= POLICY.highPriorityAt
      ? ['REFER', 'HIGH']
      : riskScore >= POLICY.referAt
        ? ['REFER', 'NORMAL']
        : ['PASS', null];
  return {
    riskScore,
    outcome,
    priority,
    signals,
    policyVersion: POLICY.version,
    policyDigest: DEFAULT_DIGEST,
    screenedAt: t.clock.now().toISOString(),
  };
}

/** No signal: routed on. */
const CLEAN = () => screened([]);

function kindsOf(claim: ScreenedClaimFragment): ClaimDecisionKind[] {
  return claim.decisions.map((decision) => decision.kind);
}

function eventsOf(claim: ScreenedClaimFragment): ClaimEventType[] {
  return claim.timeline.map((event) => event.type);
}

/** A referral: waiting for an expert, the seller not told. */
function expectReferred(claim: ScreenedClaimFragment, riskScore: number, priority: ReviewPriority): void {
  expect(claim).toMatchObject({
    status: 'EXPERT_REVIEW',
    route: null,
    denialReason: null,
    decisions: [
      {
        kind: 'REFERRED_TO_EXPERT',
        decidedByRole: 'SYSTEM',
        reason: 'referred to an independent expert for review',
      },
    ],
    fraudReview: { id: expect.any(String), status: 'QUEUED', priority, riskScore },
  });
  expect(eventsOf(claim)).not.toContain('SELLER_NOTIFIED');
}

/** A small claim that passed: paid by the marketplace and closed, the insured seller informed. */
function expectPaidConcession(claim: ScreenedClaimFragment): void {
  expect(claim).toMatchObject({
    status: 'CLOSED',
    route: 'CONCESSION',
    denialReason: null,
    fraudReview: null,
  });
  expect(kindsOf(claim)).toEqual(['ROUTED_TO_CONCESSION']);
  expect(eventsOf(claim)).toContain('SELLER_NOTIFIED');
}

/** Where the claim went after its screening: to an expert, or on to a concession or the seller. */
function expectFollowed(claim: ScreenedClaimFragment): void {
  const { outcome, riskScore, priority } = claim.screening!;
  if (outcome === 'REFER') {
    expectReferred(claim, riskScore, priority!);
  } else if (claim.route === 'CONCESSION') {
    expect(outcome).toBe('PASS');
    expectPaidConcession(claim);
  } else {
    expect(outcome).toBe('PASS');
    expect(claim).toMatchObject({ status: 'AWAITING_SELLER', route: 'SELLER_RESPONSE', fraudReview: null });
    expect(kindsOf(claim)).toEqual(['ROUTED_TO_SELLER']);
    expect(eventsOf(claim)).toContain('SELLER_NOTIFIED');
  }
}

/** Expects the claim's screening to be exactly `expected`, and the claim to have followed it. */
function expectScreening(claim: ScreenedClaimFragment, expected: ReturnType<typeof screened>): void {
  expect(claim.screening).toEqual(expected);
  expectFollowed(claim);
}

/** A repeat of `paid`: denied in screening with the earlier claim's number. */
function expectDeniedAsRepeat(
  claim: ScreenedClaimFragment,
  paid: ScreenedClaimFragment,
  otherSignals: Signal[] = [],
): void {
  const reason = `This claim repeats ${paid.number}, which was already paid for the same order and the same kind of loss.`;
  expect(claim).toMatchObject({
    status: 'DENIED',
    route: null,
    denialReason: reason,
    decisions: [{ kind: 'DENIED_IN_SCREENING', decidedByRole: 'SYSTEM', reason }],
    fraudReview: null,
  });
  expect(claim.screening).toEqual(
    screened(
      [
        ...otherSignals,
        signal(
          'DUPLICATE_OF_PAID_CLAIM',
          0,
          `the same loss on the same order was already paid in ${paid.number}`,
          'HARD_RULE',
        ),
      ],
      'DENY',
    ),
  );
  expect(claim.timeline.at(-1)).toMatchObject({
    type: 'STATUS_CHANGED',
    fromStatus: 'SCREENING',
    toStatus: 'DENIED',
  });
  expect(eventsOf(claim)).not.toContain('SELLER_NOTIFIED');
}

// ---------------------------------------------------------------------------------------------

/** The default policy's amount band that starts at `multiple` times the order value. */
function bandFrom(multiple: number): WeightBand {
  const band = POLICY.amountToOrderValue.bands.find((candidate) => candidate.atLeast === multiple);
  if (!band) throw new Error(`the default policy has no amount band from ${multiple}×`);
  return band;
}

/** The seller side's words for the event that released a claim to it. */
const SELLER_SIDE_RELEASE: Record<string, string> = {
  APPROVED_CONCESSION: 'The marketplace pays the claim directly as a concession.',
  AWAITING_SELLER: 'The seller and its insurer were asked to respond to the claim.',
};

/**
 * A routed claim as the seller side reads it: no screening and no review, and its timeline from
 * the release on, the release in the seller side's words and from no status it could know.
 */
function asSellerSide(claim: ScreenedClaimFragment): ScreenedClaimFragment {
  const release = claim.timeline.findIndex(
    (event) => event.type === 'STATUS_CHANGED' && SELLER_SIDE_RELEASE[event.toStatus ?? ''] !== undefined,
  );
  expect(release).toBeGreaterThan(0);
  const [released, ...after] = claim.timeline.slice(release);
  return {
    ...claim,
    screening: null,
    fraudReview: null,
    timeline: [{ ...released, fromStatus: null, message: SELLER_SIDE_RELEASE[released.toStatus!] }, ...after],
  };
}

describe('screening signals, each on its own', () => {
  it('AMOUNT_ABOVE_ORDER_VALUE: bands of the claimed multiple of the order value, counted in whole tenths', async () => {
    const shop = await market.shop('89.99');
    const claimAmount = async (amount: string) => {
      const customer = await market.customer();
      return market.screen(customer, await market.order(customer, shop), {
        amountClaimed: { amount, currencyCode: 'USD' },
      });
    };
    const [lowBand, midBand, highBand] = POLICY.amountToOrderValue.bands;
    expect([lowBand.atLeast, midBand.atLeast, highBand.atLeast]).toEqual([8, 15, 40]);

    // 719.91 is 7.9998×: just under the first band, never rounded up into it.
    expectScreening(await claimAmount('719.91'), CLEAN());
    expectScreening(
      await claimAmount('719.92'),
      screened([
        signal(
          'AMOUNT_ABOVE_ORDER_VALUE',
          lowBand.weight,
          '719.92 USD claimed is 8.0× the order value of 89.99 USD',
        ),
      ]),
    );
    expectScreening(
      await claimAmount('1349.84'),
      screened([
        signal(
          'AMOUNT_ABOVE_ORDER_VALUE',
          lowBand.weight,
          '1349.84 USD claimed is 14.9× the order value of 89.99 USD',
        ),
      ]),
    );
    expectScreening(
      await claimAmount('1349.85'),
      screened([
        signal(
          'AMOUNT_ABOVE_ORDER_VALUE',
          midBand.weight,
          '1349.85 USD claimed is 15.0× the order value of 89.99 USD',
        ),
      ]),
    );
    expectScreening(
      await claimAmount('3599.60'),
      screened([
        signal(
          'AMOUNT_ABOVE_ORDER_VALUE',
          highBand.weight,
          '3599.60 USD claimed is 40.0× the order value of 89.99 USD',
        ),
      ]),
    );
  });

  it('AMOUNT_ABOVE_ORDER_VALUE: a claim with personal injury divides the multiple by the injury allowance', async () => {
    const shop = await market.shop('89.99');
    const injuryClaim = async (amount: string) => {
      const customer = await market.customer();
      return market.screen(customer, await market.order(customer, shop), {
        kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
        injuryDetails: { description: 'Burns on the right hand', medicallyTreated: true },
        amountClaimed: { amount, currencyCode: 'USD' },
      });
    };
    expect(POLICY.amountToOrderValue.injuryAllowance).toBe(10);

    // 40.0× reaches the top band for property damage alone; with an injury it counts as 4.0×.
    expectScreening(await injuryClaim('3599.60'), CLEAN());
    expectScreening(
      await injuryClaim('13500.00'),
      screened([
        signal(
          'AMOUNT_ABOVE_ORDER_VALUE',
          bandFrom(15).weight,
          '13500.00 USD claimed is 150.0× the order value of 89.99 USD (counted as 15.0× for a claim with personal injury)',
        ),
      ]),
    );
  });

  it('INCIDENT_BEFORE_DELIVERY: an incident dated after the purchase but before the delivery', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop, { deliveredAt: '2026-06-10T09:00:00.000Z' });
    expectScreening(
      await market.screen(customer, orderId, { incidentDate: '2026-06-05' }),
      screened([
        signal(
          'INCIDENT_BEFORE_DELIVERY',
          POLICY.incidentBeforeDelivery.weight,
          'the incident (2026-06-05) is dated before delivery (2026-06-10)',
        ),
      ]),
    );
  });

  it('FILED_BEFORE_DELIVERY: the order had no delivery when the claim was filed', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop, { deliveredAt: null });
    expectScreening(
      await market.screen(customer, orderId),
      screened([
        signal(
          'FILED_BEFORE_DELIVERY',
          POLICY.filedBeforeDelivery.weight,
          'the order had not been delivered when the claim was filed',
        ),
      ]),
    );
  });

  it('FILED_LONG_AFTER_INCIDENT: days from the incident to filing, in bands', async () => {
    const shop = await market.shop();
    const [halfYear, year] = POLICY.filingDelayDays.bands;
    expect([halfYear.atLeast, year.atLeast]).toEqual([180, 365]);

    const late = await market.customer();
    const lateOrder = await market.order(late, shop, {
      purchasedAt: '2025-11-01T10:00:00.000Z',
      deliveredAt: '2025-11-04T15:00:00.000Z',
    });
    // 2025-11-27 to 2026-06-15 12:00 is 200 days and a half.
    expectScreening(
      await market.screen(late, lateOrder, { incidentDate: '2025-11-27' }),
      screened([
        signal(
          'FILED_LONG_AFTER_INCIDENT',
          halfYear.weight,
          'the claim was filed 200 days after the incident',
        ),
      ]),
    );

    const later = await market.customer();
    const laterOrder = await market.order(later, shop, {
      purchasedAt: '2025-05-01T10:00:00.000Z',
      deliveredAt: '2025-05-04T15:00:00.000Z',
    });
    // 2025-06-01 to 2026-06-01 is 365 days, then 14 more.
    expectScreening(
      await market.screen(later, laterOrder, { incidentDate: '2025-06-01' }),
      screened([
        signal('FILED_LONG_AFTER_INCIDENT', year.weight, 'the claim was filed 379 days after the incident'),
      ]),
    );
  });

  it('INCIDENT_LONG_AFTER_DELIVERY: an incident two years after delivery', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop, {
      purchasedAt: '2024-05-01T10:00:00.000Z',
      deliveredAt: '2024-05-04T15:00:00.000Z',
    });
    expect(POLICY.incidentAfterDeliveryDays.bands[0].atLeast).toBe(730);
    // 2024-05-04 to 2026-05-04 is 730 days (no 29 February in between), then 6 more.
    expectScreening(
      await market.screen(customer, orderId, { incidentDate: '2026-05-10' }),
      screened([
        signal(
          'INCIDENT_LONG_AFTER_DELIVERY',
          POLICY.incidentAfterDeliveryDays.bands[0].weight,
          'the incident happened 736 days after delivery',
        ),
      ]),
    );
  });

  it("CLAIMANT_VELOCITY counts the claimant's earlier claims in the last 30 days, CLAIMANT_HISTORY in the last year", async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orders: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      orders.push(
        await market.order(customer, shop, {
          purchasedAt: '2026-03-01T10:00:00.000Z',
          deliveredAt: '2026-03-04T15:00:00.000Z',
        }),
      );
    }
    const velocity = POLICY.claimantVelocity.bands[0];
    const history = POLICY.claimantHistory.bands[0];
    expect([velocity.atLeast, history.atLeast]).toEqual([2, 4]);

    // Four claims 60 days ago: within the year, outside the velocity window of today's claim.
    clockAt(t.clock, at(-60 * DAY));
    const early: Filed[] = [];
    for (const orderId of orders.slice(0, 4))
      early.push(await market.file(customer, orderId, { incidentDate: '2026-04-01' }));
    await t.runJobs();
    expectScreening(await market.read(early[1].id), CLEAN());
    expectScreening(
      await market.read(early[2].id),
      screened([
        signal(
          'CLAIMANT_VELOCITY',
          velocity.weight,
          'the claimant filed 2 other claims in the 30 days before this one',
        ),
      ]),
    );

    t.clock.set(TEST_NOW);
    expectScreening(
      await market.screen(customer, orders[4]),
      screened([
        signal(
          'CLAIMANT_HISTORY',
          history.weight,
          'the claimant filed 4 other claims in the 365 days before this one',
        ),
      ]),
    );
  });

  it('CLAIMANT_DENIALS: an earlier claim of the claimant that an expert denied', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const firstOrder = await market.order(customer, shop, { deliveredAt: '2026-06-10T09:00:00.000Z' });
    const referred = await market.screen(customer, firstOrder, { incidentDate: '2026-06-05' });
    expect(referred.status).toBe('EXPERT_REVIEW');

    const expert = await t.as(Role.FRAUD_EXPERT, fresh('expert'));
    const { pickFraudReview } = await expert.data(ScreeningPickReviewDocument, {
      input: { reviewId: referred.fraudReview!.id },
    });
    expect(pickFraudReview).toEqual({
      review: { ...referred.fraudReview, status: 'IN_REVIEW', assignedToMe: true },
      userErrors: [],
    });
    const { submitFraudReview } = await expert.data(ScreeningSubmitFindingDocument, {
      input: { claimId: referred.id, finding: 'FRAUDULENT', rationale: 'The photos predate the delivery.' },
    });
    expect(submitFraudReview.userErrors).toEqual([]);
    expect(submitFraudReview.claim).toMatchObject({
      status: 'DENIED',
      denialReason: CUSTOMER_REASONS[FraudFinding.FRAUDULENT],
    });

    expectScreening(
      await market.screen(customer, await market.order(customer, shop)),
      screened([
        signal(
          'CLAIMANT_DENIALS',
          POLICY.claimantDenials.bands[0].weight,
          '1 earlier claim of the claimant was denied',
        ),
      ]),
    );
  });

  it('EVIDENCE_REUSED_ACROSS_CUSTOMERS and EVIDENCE_REUSED_ACROSS_CLAIMS: the same content hash on an earlier claim', async () => {
    const shop = await market.shop();
    const [first, second, repeater] = [
      await market.customer(),
      await market.customer(),
      await market.customer(),
    ];
    const shared = evidence(fresh('shared-photo'));

    const original = await market.screen(first, await market.order(first, shop), { evidence: [shared] });
    expectScreening(original, CLEAN());
    expectScreening(
      await market.screen(second, await market.order(second, shop), { evidence: [shared] }),
      screened([
        signal(
          'EVIDENCE_REUSED_ACROSS_CUSTOMERS',
          POLICY.evidenceReuse.otherCustomerWeight,
          `evidence identical to evidence of another customer's claim: ${original.number}`,
        ),
      ]),
    );

    const own = evidence(fresh('own-photo'));
    const earlier = await market.screen(repeater, await market.order(repeater, shop), { evidence: [own] });
    expectScreening(
      await market.screen(repeater, await market.order(repeater, shop), { evidence: [own] }),
      screened([
        signal(
          'EVIDENCE_REUSED_ACROSS_CLAIMS',
          POLICY.evidenceReuse.ownClaimWeight,
          `evidence identical to evidence of the claimant's earlier claim: ${earlier.number}`,
        ),
      ]),
    );
  });

  it("SIMILAR_DESCRIPTION: a long description near-identical to another claimant's; a short identical one does not count", async () => {
    const shop = await market.shop();
    const [first, second, third, fourth] = await Promise.all([
      market.customer(),
      market.customer(),
      market.customer(),
      market.customer(),
    ]);
    // 20 words, 18 three-word shingles; the copy differs in case, punctuation and its last word,
    // so 17 shingles are shared out of 19: 89 % alike.
    const description =
      'When I plugged the heater in the living room it sparked smoked and then burned a hole through the carpet';
    const copied =
      'When I plugged the HEATER in the living room, it sparked, smoked, and then burned a hole through the rug!';
    expect(description.split(' ').length).toBeGreaterThanOrEqual(POLICY.similarDescription.minWords);

    const original = await market.screen(first, await market.order(first, shop), { description });
    expectScreening(original, CLEAN());
    expectScreening(
      await market.screen(second, await market.order(second, shop), { description: copied }),
      screened([
        signal(
          'SIMILAR_DESCRIPTION',
          POLICY.similarDescription.bands[0].weight,
          `the description is near-identical to 1 other claimant's claim: ${original.number} (89 % alike)`,
        ),
      ]),
    );

    // Eight words: honest customers say the same short things.
    const short = 'The heater sparked and burned the carpet badly.';
    expectScreening(
      await market.screen(third, await market.order(third, shop), { description: short }),
      CLEAN(),
    );
    expectScreening(
      await market.screen(fourth, await market.order(fourth, shop), { description: short }),
      CLEAN(),
    );
  });

  it('SIMILAR_DESCRIPTION: a claimant repeating their own earlier description is not flagged', async () => {
    const shop = await market.shop();
    const repeater = await market.customer();
    const description = `The ${fresh('kettle')} lid flew open while boiling and the steam scalded the counter and cracked the tiles behind it`;
    expect(description.split(' ').length).toBeGreaterThanOrEqual(POLICY.similarDescription.minWords);
    expectScreening(
      await market.screen(repeater, await market.order(repeater, shop), { description }),
      CLEAN(),
    );
    expectScreening(
      await market.screen(repeater, await market.order(repeater, shop), { description }),
      CLEAN(),
    );
  });

  it('SHARED_ADDRESS_CLAIMANTS: another customer claimed on an order delivered to the same address, however written', async () => {
    const shop = await market.shop();
    const town = fresh('town');
    const [neighbour, claimant] = [await market.customer(), await market.customer()];
    const neighbourOrder = await market.order(neighbour, shop, {
      deliveryAddress: `12 Elm Street, Apt. 4, ${town}`,
    });
    const claimantOrder = await market.order(claimant, shop, {
      deliveryAddress: `12 ELM STREET APT 4 ${town.toUpperCase()}`,
    });
    expectScreening(await market.screen(neighbour, neighbourOrder), CLEAN());
    expectScreening(
      await market.screen(claimant, claimantOrder),
      screened([
        signal(
          'SHARED_ADDRESS_CLAIMANTS',
          POLICY.sharedAddressClaimants.bands[0].weight,
          '1 other claimant had orders delivered to the same address',
        ),
      ]),
    );
  });

  it('SHARED_ADDRESS_ACCOUNTS: fresh accounts of other customers ordering to the same address, however written; established ones do not count', async () => {
    const shop = await market.shop();
    const town = fresh('town');
    const { windowDays, bands } = POLICY.sharedAddressAccounts;
    const top = bands[bands.length - 1];
    const writings = [
      `7 Birch Road, ${town}`,
      `7 birch road ${town}`,
      `7 Birch Road; ${town}.`,
      `  7  BIRCH  ROAD  ${town.toUpperCase()}  `,
    ];
    expect(writings.length).toBeGreaterThan(top.atLeast + 1);

    // Fresh accounts whose first order went there, one established household account, and the claimant.
    for (const deliveryAddress of writings.slice(0, top.atLeast)) {
      await market.order(await market.customer({ established: false }), shop, { deliveryAddress });
    }
    await market.order(await market.customer(), shop, { deliveryAddress: writings[top.atLeast] });
    const claimant = await market.customer();
    const orderId = await market.order(claimant, shop, { deliveryAddress: writings[writings.length - 1] });
    expectScreening(
      await market.screen(claimant, orderId),
      screened([
        signal(
          'SHARED_ADDRESS_ACCOUNTS',
          top.weight,
          `${top.atLeast} other customer accounts, opened in the last ${windowDays} days, ordered to the same delivery address`,
        ),
      ]),
    );
  });

  it("SHARED_ADDRESS_ACCOUNTS counts neither the claimant's own account nor accounts that ordered there only after the claim", async () => {
    const shop = await market.shop();
    const address = `3 Rowan Close, ${fresh('town')}`;
    const { windowDays, bands } = POLICY.sharedAddressAccounts;
    const one = bands.find((band) => band.atLeast === 1)!;
    await market.order(await market.customer({ established: false }), shop, { deliveryAddress: address });
    // The claimant's account is as fresh as theirs for this signal, though too old to be a new account.
    const ageDays = POLICY.newAccount.days + 10;
    expect(ageDays).toBeLessThan(windowDays);
    const claimant = await market.customer({ established: false });
    const purchasedAt = at(-ageDays * DAY);
    const claim = await market.file(
      claimant,
      await market.order(claimant, shop, { deliveryAddress: address, purchasedAt }),
    );

    // A day later a fresh account orders there, and another claim is filed: screened together with
    // the first, it brings that order into the history read, where it is still not the first's.
    t.clock.advance(DAY);
    const late = await market.customer({ established: false });
    await market.order(late, shop, {
      deliveryAddress: address,
      purchasedAt: at(DAY / 2),
      deliveredAt: null,
    });
    const other = await market.customer();
    await market.file(other, await market.order(other, shop));
    const logged = t.logs.lines.length;
    await t.runJobs();

    // Screened in the one batch, not again one by one after the batch failed.
    expect(t.logs.lines.slice(logged).filter((line) => line.includes('screening batch failed'))).toEqual([]);
    expectScreening(
      await market.read(claim.id),
      screened([
        signal(
          'SHARED_ADDRESS_ACCOUNTS',
          one.weight,
          `1 other customer account, opened in the last ${windowDays} days, ordered to the same delivery address`,
        ),
      ]),
    );
  });

  it("NEW_CUSTOMER_ACCOUNT: the claimant's first order is recent", async () => {
    const shop = await market.shop();
    const { days, weight } = POLICY.newAccount;
    const firstOrderAgo = async (ageDays: number) => {
      const customer = await market.customer({ established: false });
      const purchasedAt = at(-ageDays * DAY - HOUR);
      return market.screen(customer, await market.order(customer, shop, { purchasedAt }));
    };
    expectScreening(
      await firstOrderAgo(days),
      screened([
        signal(
          'NEW_CUSTOMER_ACCOUNT',
          weight,
          `the claimant's first order was ${days} days before the claim`,
        ),
      ]),
    );
    expectScreening(await firstOrderAgo(days + 1), CLEAN());
  });

  it('SHARED_PAYOUT_DESTINATION: another customer asked to be paid to the same account', async () => {
    const shop = await market.shop();
    const [first, second] = [await market.customer(), await market.customer()];
    const payoutDestination = `tok_${fresh('acct')}:v1.0`;
    expectScreening(
      await market.screen(first, await market.order(first, shop), { payoutDestination }),
      CLEAN(),
    );
    expectScreening(
      await market.screen(second, await market.order(second, shop), { payoutDestination }),
      screened([
        signal(
          'SHARED_PAYOUT_DESTINATION',
          POLICY.sharedPayoutDestination.bands[0].weight,
          '1 other claimant asked to be paid to the same account',
        ),
      ]),
    );
  });

  it("SHARED_ADDRESS_CLAIMANTS and SHARED_PAYOUT_DESTINATION: a claimant's own earlier claims do not count, and count once for others", async () => {
    const shop = await market.shop();
    const deliveryAddress = `9 Alder Lane, ${fresh('town')}`;
    const payoutDestination = `tok_${fresh('acct')}:v1.0`;
    const [claimant, neighbour] = [await market.customer(), await market.customer()];
    const codes = (claim: ScreenedClaimFragment) => claim.screening!.signals.map((each) => each.code);
    for (let i = 0; i < 2; i += 1) {
      const screening = await market.screen(
        claimant,
        await market.order(claimant, shop, { deliveryAddress }),
        { payoutDestination, evidence: [evidence(fresh('own'))] },
      );
      expect(codes(screening)).not.toContain('SHARED_ADDRESS_CLAIMANTS');
      expect(codes(screening)).not.toContain('SHARED_PAYOUT_DESTINATION');
    }
    const screening = await market.screen(
      neighbour,
      await market.order(neighbour, shop, { deliveryAddress }),
      { payoutDestination },
    );
    expect(
      screening
        .screening!.signals.filter((each) => each.code.startsWith('SHARED_'))
        .map((each) => [each.code, each.evidence]),
    ).toEqual([
      ['SHARED_ADDRESS_CLAIMANTS', '1 other claimant had orders delivered to the same address'],
      ['SHARED_PAYOUT_DESTINATION', '1 other claimant asked to be paid to the same account'],
    ]);
  });

  it('PRODUCT_CLAIM_CLUSTER: many claims on one product point at the product and add no risk', async () => {
    const shop = await market.shop();
    const threshold = POLICY.productClaims.atLeast;
    const filed: Filed[] = [];
    for (let index = 0; index <= threshold; index += 1) {
      const customer = await market.customer();
      filed.push(await market.file(customer, await market.order(customer, shop)));
    }
    await t.runJobs();
    expectScreening(await market.read(filed[threshold - 1].id), CLEAN());
    const last = await market.read(filed[threshold].id);
    expect(last.screening).toEqual({
      ...CLEAN(),
      signals: [
        signal(
          'PRODUCT_CLAIM_CLUSTER',
          0,
          `${threshold} other claims on this product in the last ${POLICY.productClaims.windowDays} days: a sign of a product defect, not of the claimant`,
          'PRODUCT_RISK',
        ),
      ],
    });
    expectPaidConcession(last);
  });

  it('PRODUCT_CLAIM_CLUSTER: past the counted number of claims on a product, the evidence says "or more"', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    // The earlier claims are written straight into the database: filing a thousand through the API
    // would take most of the suite's time.
    const em = t.orm.em.fork();
    const order = await em.findOneOrFail(Order, localIdOf(await market.order(customer, shop), 'Order')!);
    for (let index = 0; index <= PRODUCT_CLAIMS_COUNTED_UP_TO; index += 1) {
      em.create(Claim, {
        order,
        customer: order.customer,
        seller: order.seller,
        product: order.product,
        coversPropertyDamage: true,
        coversPersonalInjury: false,
        status: ClaimStatus.CLOSED,
        incidentDate: '2026-05-20',
        description: 'Scorched floor',
        claimedAmountMinor: 1500n,
        currency: 'USD',
        filedAt: new Date(TEST_NOW.getTime() - DAY),
        filedByRole: Role.CUSTOMER,
        filedBySubject: customer.ref,
      });
    }
    await em.flush();

    const other = await market.customer();
    const claim = await market.screen(other, await market.order(other, shop));
    expect(claim.screening).toEqual({
      ...CLEAN(),
      signals: [
        signal(
          'PRODUCT_CLAIM_CLUSTER',
          0,
          `${PRODUCT_CLAIMS_COUNTED_UP_TO} or more other claims on this product in the last ${POLICY.productClaims.windowDays} days: a sign of a product defect, not of the claimant`,
          'PRODUCT_RISK',
        ),
      ],
    });
  });

  it('DUPLICATE_OF_PAID_CLAIM: the same kind of loss on an order whose claim was paid is denied', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop);
    const paid = await market.screen(customer, orderId);
    expectPaidConcession(paid);

    // Refiling is allowed once the first claim is settled; screening denies it.
    expectDeniedAsRepeat(
      await market.screen(customer, orderId, { amountClaimed: { amount: '300.00', currencyCode: 'USD' } }),
      paid,
    );

    // Another kind of loss on a paid order is a new loss, not a repeat.
    const other = await market.customer();
    const otherOrder = await market.order(other, shop);
    expectPaidConcession(await market.screen(other, otherOrder));
    const injury = await market.screen(other, otherOrder, {
      kinds: ['PERSONAL_INJURY'],
      injuryDetails: { description: 'Burn on the left hand', medicallyTreated: false },
    });
    expectScreening(injury, CLEAN());
    expectPaidConcession(injury);
  });
});

describe('screening outcomes', () => {
  it('low risk is routed: a small claim is paid and closed, a larger one goes to the seller; the seller is notified and sees it', async () => {
    const shop = await market.shop();
    const customer = await market.customer();

    const small = await market.screen(customer, await market.order(customer, shop));
    expect(small.screening).toEqual(CLEAN());
    expect(small).toMatchObject({
      status: 'CLOSED',
      route: 'CONCESSION',
      fraudReview: null,
      decisions: [
        {
          kind: 'ROUTED_TO_CONCESSION',
          decidedByRole: 'SYSTEM',
          reason: '250.00 USD is below the concession threshold of 1000.00 USD',
        },
      ],
    });
    expect(small.timeline.map(({ type, fromStatus, toStatus }) => [type, fromStatus, toStatus])).toEqual([
      ['CLAIM_FILED', null, 'SUBMITTED'],
      ['STATUS_CHANGED', 'SUBMITTED', 'SCREENING'],
      ['STATUS_CHANGED', 'SCREENING', 'APPROVED_CONCESSION'],
      ['PAYOUT_COMPLETED', null, null],
      ['STATUS_CHANGED', 'APPROVED_CONCESSION', 'PAID'],
      ['SELLER_NOTIFIED', null, null],
      ['STATUS_CHANGED', 'PAID', 'CLOSED'],
    ]);

    // Some risk, below referAt: routed on all the same.
    const other = await market.customer();
    const large = await market.screen(other, await market.order(other, shop), {
      amountClaimed: { amount: '1349.85', currencyCode: 'USD' },
    });
    const weight = bandFrom(15).weight;
    expect(weight).toBeGreaterThan(0);
    expect(weight).toBeLessThan(POLICY.referAt);
    expect(large).toMatchObject({
      status: 'AWAITING_SELLER',
      route: 'SELLER_RESPONSE',
      fraudReview: null,
      decisions: [
        {
          kind: 'ROUTED_TO_SELLER',
          decidedByRole: 'SYSTEM',
          reason: '1349.85 USD is at or above the concession threshold: the seller must respond',
        },
      ],
      screening: { riskScore: weight, outcome: 'PASS', priority: null },
    });
    expect(large.timeline.map(({ type, fromStatus, toStatus }) => [type, fromStatus, toStatus])).toEqual([
      ['CLAIM_FILED', null, 'SUBMITTED'],
      ['STATUS_CHANGED', 'SUBMITTED', 'SCREENING'],
      ['STATUS_CHANGED', 'SCREENING', 'AWAITING_SELLER'],
      ['SELLER_NOTIFIED', null, null],
      ['INSURER_NOTIFIED', null, null],
    ]);

    for (const claim of [small, large]) {
      expect(await market.view(shop.seller.client, claim.id)).toEqual(asSellerSide(claim));
    }
  });

  it('medium risk (referAt up to highPriorityAt) goes to an expert with NORMAL priority', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop, { deliveredAt: '2026-06-10T09:00:00.000Z' });
    const weight = POLICY.incidentBeforeDelivery.weight;
    expect(weight).toBeGreaterThanOrEqual(POLICY.referAt);
    expect(weight).toBeLessThan(POLICY.highPriorityAt);
    const claim = await market.screen(customer, orderId, { incidentDate: '2026-06-05' });
    expect(claim.screening).toMatchObject({ riskScore: weight, outcome: 'REFER', priority: 'NORMAL' });
    expectReferred(claim, weight, 'NORMAL');
    expect(claim.timeline.at(-1)).toMatchObject({
      type: 'STATUS_CHANGED',
      fromStatus: 'SCREENING',
      toStatus: 'EXPERT_REVIEW',
    });
  });

  it('high risk (from highPriorityAt) goes to an expert with HIGH priority', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop, { deliveredAt: '2026-06-10T09:00:00.000Z' });
    const score = POLICY.incidentBeforeDelivery.weight + bandFrom(40).weight;
    expect(score).toBeGreaterThanOrEqual(POLICY.highPriorityAt);
    const claim = await market.screen(customer, orderId, {
      incidentDate: '2026-06-05',
      amountClaimed: { amount: '3599.60', currencyCode: 'USD' },
    });
    expect(claim.screening).toMatchObject({
      riskScore: score,
      outcome: 'REFER',
      priority: 'HIGH',
      signals: [{ code: 'AMOUNT_ABOVE_ORDER_VALUE' }, { code: 'INCIDENT_BEFORE_DELIVERY' }],
    });
    expectReferred(claim, score, 'HIGH');
  });

  it('a hard rule denies whatever the score, with no referral', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const orderId = await market.order(customer, shop);
    const paid = await market.screen(customer, orderId);
    expectPaidConcession(paid);

    // Dated before delivery: a score that alone would refer, but the repeat is denied outright.
    expect(POLICY.incidentBeforeDelivery.weight).toBeGreaterThanOrEqual(POLICY.referAt);
    const repeat = await market.screen(customer, orderId, { incidentDate: '2026-05-02' });
    expectDeniedAsRepeat(repeat, paid, [
      signal(
        'INCIDENT_BEFORE_DELIVERY',
        POLICY.incidentBeforeDelivery.weight,
        'the incident (2026-05-02) is dated before delivery (2026-05-04)',
      ),
    ]);
    expect(repeat.screening?.riskScore).toBe(POLICY.incidentBeforeDelivery.weight);
  });
});

describe('the screening policy is configuration', () => {
  it('another policy file changes thresholds and weights, and each result records the policy used', async () => {
    const strict = screeningPolicyFile((policy) => {
      policy.version = 'strict-2026-06';
      policy.referAt = 20;
      policy.highPriorityAt = 20 + policy.incidentBeforeDelivery.weight;
      policy.amountToOrderValue.bands = [{ atLeast: 5, weight: 20 }];
    });
    const loaded = loadScreeningPolicy(strict);
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(loaded.digest).not.toBe(DEFAULT_DIGEST);

    const strictServer = await startTestServer({ SCREENING_POLICY_FILE: strict });
    try {
      const strictMarket = await Market.on(strictServer);
      // 6.6× the order value: below every default band, in the strict one.
      const amountClaimed = { amount: '1000.00', currencyCode: 'USD' };
      const amountSignal = signal(
        'AMOUNT_ABOVE_ORDER_VALUE',
        20,
        '1000.00 USD claimed is 6.6× the order value of 150.00 USD',
      );
      const file = async (on: Market, overrides: OrderOptions = {}, claim: Partial<FileClaimInput> = {}) => {
        const shop = await on.shop('150.00');
        const customer = await on.customer();
        return on.screen(customer, await on.order(customer, shop, overrides), { amountClaimed, ...claim });
      };
      const strictly = (riskScore: number, priority: ReviewPriority, signals: Signal[]) => ({
        riskScore,
        outcome: 'REFER',
        priority,
        signals,
        policyVersion: 'strict-2026-06',
        policyDigest: loaded.digest,
        screenedAt: strictServer.clock.now().toISOString(),
      });

      const underDefault = await file(market);
      expect(underDefault.status).toBe('AWAITING_SELLER');
      expect(underDefault.screening).toEqual(CLEAN());

      // Exactly referAt: referred.
      const atReferral = await file(strictMarket);
      expect(atReferral.screening).toEqual(strictly(20, 'NORMAL', [amountSignal]));
      expectReferred(atReferral, 20, 'NORMAL');

      // Exactly highPriorityAt: high priority.
      const atHigh = await file(
        strictMarket,
        { deliveredAt: '2026-06-10T09:00:00.000Z' },
        { incidentDate: '2026-06-05' },
      );
      const score = 20 + POLICY.incidentBeforeDelivery.weight;
      expect(atHigh.screening).toEqual(
        strictly(score, 'HIGH', [
          amountSignal,
          signal(
            'INCIDENT_BEFORE_DELIVERY',
            POLICY.incidentBeforeDelivery.weight,
            'the incident (2026-06-05) is dated before delivery (2026-06-10)',
          ),
        ]),
      );
      expectReferred(atHigh, score, 'HIGH');
    } finally {
      await strictServer.stop();
    }
  });

  it('an invalid policy is refused, naming the bad setting, and the server does not start with it', () => {
    const changed = (change: (policy: Record<string, unknown> & typeof DEFAULT_SCREENING_POLICY) => void) => {
      const policy = structuredClone(DEFAULT_SCREENING_POLICY) as Record<string, unknown> &
        typeof DEFAULT_SCREENING_POLICY;
      change(policy);
      return checkPolicy(policy);
    };
    expect(changed(() => undefined)).toEqual([]);
    expect(
      changed((p) => {
        p.referAt = p.highPriorityAt + 1;
      }),
    ).toEqual(['0 < referAt <= highPriorityAt <= 100 must hold']);
    expect(
      changed((p) => {
        p.referAt = 0;
      }),
    ).toEqual(['0 < referAt <= highPriorityAt <= 100 must hold']);
    expect(
      changed((p) => {
        p.highPriorityAt = 101;
      }),
    ).toEqual(['0 < referAt <= highPriorityAt <= 100 must hold']);
    expect(
      changed((p) => {
        p.version = ' ';
      }),
    ).toEqual(['version must not be empty']);
    expect(
      changed((p) => {
        p.referAT = 30;
      }),
    ).toEqual(['policy.referAT is not a policy setting']);
    expect(
      changed((p) => {
        delete (p as Partial<typeof p>).highPriorityAt;
      }),
    ).toEqual(['policy.highPriorityAt must be a non-negative number']);
    expect(
      changed((p) => {
        p.claimantDenials.bands[1].weight = -30;
      }),
    ).toEqual(['policy.claimantDenials.bands[1].weight must be a non-negative number']);
    expect(
      changed((p) => {
        p.similarDescription.minSimilarity = 60;
      }),
    ).toEqual(['similarDescription.minSimilarity must be in (0, 1]']);
    expect(
      changed((p) => {
        p.amountToOrderValue.injuryAllowance = 0.5;
      }),
    ).toEqual(['amountToOrderValue.injuryAllowance must be at least 1']);
    expect(checkPolicy([])).toEqual(['policy must be an object']);

    const bad = screeningPolicyFile((policy) => {
      policy.incidentBeforeDelivery = { weight: '35' as unknown as number };
    });
    const env = { NODE_ENV: 'test', SCREENING_POLICY_FILE: bad };
    expect(() => loadConfig(env)).toThrow(
      `SCREENING_POLICY_FILE ${bad} is not a valid policy: policy.incidentBeforeDelivery.weight must be a non-negative number`,
    );
    expect(() => loadConfig({ ...env, SCREENING_POLICY_FILE: `${bad}.missing` })).toThrow(
      /^SCREENING_POLICY_FILE .* cannot be read as JSON/,
    );
  });
});

describe('screening is deterministic', () => {
  it('assessing a claim again gives its stored result, also after later claims that resemble it', async () => {
    const service = new ScreeningService(withDigest(DEFAULT_SCREENING_POLICY));
    const assess = async (claimId: string) => {
      const em = t.orm.em.fork();
      const claim = await em.findOneOrFail(Claim, localIdOf(claimId, 'Claim')!);
      const { riskScore, outcome, priority, signals } = await service.assess(em, claim);
      return { riskScore, outcome, priority, signals };
    };
    const stored = async (claimId: string) => {
      const { riskScore, outcome, priority, signals } = (await market.read(claimId)).screening!;
      return { riskScore, outcome, priority, signals };
    };

    const shop = await market.shop();
    const [first, second, third] = [
      await market.customer(),
      await market.customer(),
      await market.customer(),
    ];
    const photo = evidence(fresh('copied-photo'));
    const description =
      'The heater switched itself on at night, overheated and set the curtains and the sofa next to it on fire';
    const payoutDestination = `tok_${fresh('mule')}`;

    const original = await market.screen(first, await market.order(first, shop), {
      evidence: [photo],
      description,
    });
    const copy = await market.screen(second, await market.order(second, shop), {
      evidence: [photo],
      description,
      payoutDestination,
    });
    expect(copy.screening?.signals.map((item) => item.code)).toEqual([
      'EVIDENCE_REUSED_ACROSS_CUSTOMERS',
      'SIMILAR_DESCRIPTION',
    ]);
    const copyResult = await stored(copy.id);
    expect(await assess(copy.id)).toEqual(copyResult);
    expect(await assess(copy.id)).toEqual(copyResult);

    // Later claims reuse the evidence, description and payout account of both; the sum is capped at 100.
    const later = await market.screen(third, await market.order(third, shop), {
      evidence: [photo],
      description,
      payoutDestination,
    });
    const laterWeights = [
      POLICY.evidenceReuse.otherCustomerWeight,
      POLICY.similarDescription.bands[0].weight,
      POLICY.sharedPayoutDestination.bands[0].weight,
    ];
    expect(later.screening?.signals.map((item) => [item.code, item.weight])).toEqual([
      ['EVIDENCE_REUSED_ACROSS_CUSTOMERS', laterWeights[0]],
      ['SIMILAR_DESCRIPTION', laterWeights[1]],
      ['SHARED_PAYOUT_DESTINATION', laterWeights[2]],
    ]);
    expect(laterWeights.reduce((sum, weight) => sum + weight)).toBeGreaterThan(100);
    expect(later.screening?.riskScore).toBe(100);
    await market.screen(first, await market.order(first, shop), { evidence: [photo], description });

    expect(await assess(copy.id)).toEqual(copyResult);
    expect(await stored(copy.id)).toEqual(copyResult);
    expect(await assess(original.id)).toEqual({ riskScore: 0, outcome: 'PASS', priority: null, signals: [] });
    expect(await stored(original.id)).toEqual({ riskScore: 0, outcome: 'PASS', priority: null, signals: [] });
    expect(await assess(later.id)).toEqual(await stored(later.id));
  });
});

describe('what the other parties see of screening', () => {
  it('customers, sellers and insurers get no screening or referral; the customer sees the status and decisions without the score', async () => {
    const shop = await market.shop();
    const customer = await market.customer();
    const insurer = await t.as(Role.INSURER, shop.insurerRef);
    const heldOrder = await market.order(customer, shop, { deliveredAt: '2026-06-10T09:00:00.000Z' });
    const held = await market.screen(customer, heldOrder, { incidentDate: '2026-06-05' });
    const routed = await market.screen(customer, await market.order(customer, shop), {
      amountClaimed: { amount: '1200.00', currencyCode: 'USD' },
    });
    expect(held.screening).not.toBeNull();
    expect(held.fraudReview).not.toBeNull();
    expect(routed).toMatchObject({ status: 'AWAITING_SELLER', screening: { outcome: 'PASS' } });

    const asCustomer = (await market.view(customer.client, held.id))!;
    expect(asCustomer).toEqual({ ...held, screening: null, fraudReview: null });
    expect(asCustomer.decisions).toEqual([
      {
        kind: 'REFERRED_TO_EXPERT',
        decidedByRole: 'SYSTEM',
        reason: 'referred to an independent expert for review',
      },
    ]);
    const told = [
      asCustomer.denialReason ?? '',
      ...asCustomer.decisions.map((d) => d.reason),
      ...asCustomer.timeline.map((e) => e.message),
    ].join('\n');
    expect(told).not.toMatch(/score|risk|signal/i);
    expect(told).not.toMatch(new RegExp(`\\b${held.screening!.riskScore}\\b`));
    expect(await market.view(customer.client, routed.id)).toMatchObject({
      status: 'AWAITING_SELLER',
      screening: null,
      fraudReview: null,
    });

    for (const party of [shop.seller.client, insurer]) {
      expect(await market.view(party, held.id)).toBeNull();
      expect(await market.view(party, routed.id)).toEqual(asSellerSide(routed));
    }

    // A fraud expert sees the screening of the claim it picked, and only that one.
    const expert = await t.as(Role.FRAUD_EXPERT, fresh('expert'));
    const otherExpert = await t.as(Role.FRAUD_EXPERT, fresh('expert'));
    expect(await market.view(expert, held.id)).toBeNull();
    await expert.data(ScreeningPickReviewDocument, { input: { reviewId: held.fraudReview!.id } });
    expect(await market.view(expert, held.id)).toMatchObject({
      screening: held.screening,
      fraudReview: { ...held.fraudReview, status: 'IN_REVIEW' },
    });
    expect(await market.view(expert, routed.id)).toBeNull();
    expect(await market.view(otherExpert, held.id)).toBeNull();
  });

  it('a seller is never notified of, never sees and never hears of a claim screened out or waiting for an expert', async () => {
    const shop = await market.shop();
    const seller = shop.seller;
    const token = await issueToken(t.config.auth.jwtSecret!, { role: Role.SELLER, subject: seller.ref });
    const socket = createClient({
      url: t.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    sockets.push(socket);
    const heard: { claimId: string; toStatus: string | null }[] = [];
    const errors: unknown[] = [];
    const stop = socket.subscribe<{ claimStatusChanged: { claimId: string; toStatus: string | null } }>(
      { query: 'subscription { claimStatusChanged { claimId toStatus } }' },
      {
        next: (result) => {
          if (result.errors) errors.push(...result.errors);
          if (result.data) heard.push(result.data.claimStatusChanged);
        },
        error: (error) => errors.push(error),
        complete: () => undefined,
      },
    );
    const hears = (claimId: string, toStatus: string) =>
      until(
        () => heard.some((m) => m.claimId === claimId && m.toStatus === toStatus),
        `${toStatus} of ${claimId}`,
      );

    // A paid claim first: the seller hears of it, so the subscription is live before the rest.
    const customer = await market.customer();
    const orderId = await market.order(customer, shop);
    const paid = await market.file(customer, orderId);
    await t.runJobs();
    await hears(paid.id, 'CLOSED');

    const duplicate = await market.file(customer, orderId);
    const suspect = await market.customer();
    const referred = await market.file(suspect, await market.order(suspect, shop, { deliveredAt: null }));
    await t.runJobs();
    // Filed last: once the seller hears of it, every earlier event was delivered.
    const honest = await market.customer();
    const control = await market.file(honest, await market.order(honest, shop));
    await t.runJobs();
    await hears(control.id, 'CLOSED');
    await sleep(200);
    stop();

    expect(errors).toEqual([]);
    expect((await market.read(duplicate.id)).status).toBe('DENIED');
    expect((await market.read(referred.id)).status).toBe('EXPERT_REVIEW');
    for (const held of [duplicate, referred]) {
      expect(heard.filter((message) => message.claimId === held.id)).toEqual([]);
      expect(await market.view(seller.client, held.id)).toBeNull();
      expect(eventsOf(await market.read(held.id))).not.toContain('SELLER_NOTIFIED');
    }
    expect(eventsOf(await market.read(control.id))).toContain('SELLER_NOTIFIED');
    const { claims } = await seller.client.data(ScreenedClaimIdsDocument, { first: 100 });
    expect(claims.edges.map((edge) => edge.node.id).sort()).toEqual([paid.id, control.id].sort());
    expect(claims.totalCount).toBe(2);
  });
});
