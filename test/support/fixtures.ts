import { createHash } from 'node:crypto';
import { ActorRole, ClaimEventType } from '../../src/entities/claim-event-type';
import { Claim } from '../../src/entities/claim.entity';
import { InsurancePolicy, PolicyVerificationStatus } from '../../src/entities/insurance-policy.entity';
import { InsuranceProvider } from '../../src/entities/insurance-provider.entity';
import { Seller } from '../../src/entities/seller.entity';
import { localIdOf } from '../../src/graphql/global-id';
import { appendClaimEvent } from '../../src/services/claims/claim-timeline';
import {
  type FileClaimInput,
  RecordOrderDocument,
  type RecordOrderInput,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
} from '../__generated__/graphql';
import type { TestServer } from './test-server';

export interface SeededOrder {
  id: string;
  externalRef: string;
  customerRef: string;
  sellerRef: string;
}

/**
 * A small marketplace, written through the AGENT reference-data mutations like the marketplace
 * would: customers cust-a and cust-b, sellers sell-a and sell-b, and orders of both customers.
 */
export async function seedMarketplace(t: TestServer) {
  const agent = await t.agent();
  const customers: Record<string, string> = {};
  for (const [externalRef, name] of [
    ['cust-a', 'Ada Customer'],
    ['cust-b', 'Ben Customer'],
  ]) {
    const { upsertCustomer } = await agent.data(UpsertCustomerDocument, {
      input: { externalRef, name, email: `${externalRef}@example.com` },
    });
    customers[externalRef] = upsertCustomer.customer!.id;
  }
  const sellers: Record<string, string> = {};
  for (const [externalRef, name] of [
    ['sell-a', 'Alpha Goods'],
    ['sell-b', 'Beta Electronics'],
  ]) {
    const { upsertSeller } = await agent.data(UpsertSellerDocument, {
      input: { externalRef, name, contactEmail: `${externalRef}@example.com` },
    });
    sellers[externalRef] = upsertSeller.seller!.id;
  }
  const products: Record<string, string> = {};
  for (const [externalRef, name, amount] of [
    ['prod-heater', 'Space heater', '89.99'],
    ['prod-charger', 'Phone charger', '19.50'],
  ]) {
    const { upsertProduct } = await agent.data(UpsertProductDocument, {
      input: { externalRef, name, category: 'home', price: { amount, currencyCode: 'USD' } },
    });
    products[externalRef] = upsertProduct.product!.id;
  }
  const orders: Record<string, SeededOrder> = {};
  for (const [externalRef, customerRef, sellerRef, productRef] of [
    ['ord-a1', 'cust-a', 'sell-a', 'prod-heater'],
    ['ord-a2', 'cust-a', 'sell-b', 'prod-charger'],
    ['ord-a3', 'cust-a', 'sell-a', 'prod-charger'],
    ['ord-b1', 'cust-b', 'sell-a', 'prod-heater'],
    ['ord-b2', 'cust-b', 'sell-b', 'prod-charger'],
  ]) {
    const { recordOrder } = await agent.data(RecordOrderDocument, {
      input: {
        externalRef,
        customerRef,
        sellerRef,
        productRef,
        quantity: 1,
        price: { amount: productRef === 'prod-heater' ? '89.99' : '19.50', currencyCode: 'USD' },
        purchasedAt: '2026-05-01T10:00:00.000Z',
        deliveredAt: '2026-05-04T15:00:00.000Z',
      },
    });
    if (!recordOrder.order) throw new Error(JSON.stringify(recordOrder.userErrors));
    orders[externalRef] = { id: recordOrder.order.id, externalRef, customerRef, sellerRef };
  }
  for (const customerRef of Object.keys(customers)) await recordPastOrder(t, customerRef);
  return { customers, sellers, products, orders };
}

/**
 * A recent order of a phone charger from sell-b for `customerRef` (`overrides` change any field,
 * e.g. a delivery date); returns the order's id.
 */
export async function recordChargerOrder(
  t: TestServer,
  externalRef: string,
  customerRef = 'cust-a',
  overrides: Partial<RecordOrderInput> = {},
): Promise<string> {
  const agent = await t.agent();
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef,
      customerRef,
      sellerRef: 'sell-b',
      productRef: 'prod-charger',
      quantity: 1,
      price: { amount: '19.50', currencyCode: 'USD' },
      purchasedAt: '2026-05-03T00:00:00Z',
      ...overrides,
    },
  });
  if (!recordOrder.order) throw new Error(JSON.stringify(recordOrder.userErrors));
  return recordOrder.order.id;
}

/**
 * An order from long ago, so that `customerRef` is an established customer: screening holds a
 * brand-new account against a claim.
 */
export async function recordPastOrder(t: TestServer, customerRef: string): Promise<void> {
  const agent = await t.agent();
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-past-${customerRef}`,
      customerRef,
      sellerRef: 'sell-b',
      productRef: 'prod-charger',
      quantity: 1,
      price: { amount: '19.50', currencyCode: 'USD' },
      purchasedAt: '2024-03-01T10:00:00.000Z',
      deliveredAt: '2024-03-04T15:00:00.000Z',
    },
  });
  if (!recordOrder.order) throw new Error(JSON.stringify(recordOrder.userErrors));
}

/** A new customer with an order from long ago: a claim of theirs stands alone before screening. */
export async function establishedCustomer(t: TestServer, customerRef: string): Promise<void> {
  const agent = await t.agent();
  await agent.data(UpsertCustomerDocument, {
    input: { externalRef: customerRef, name: `Customer ${customerRef}`, email: `${customerRef}@example.com` },
  });
  await recordPastOrder(t, customerRef);
}

export type Marketplace = Awaited<ReturnType<typeof seedMarketplace>>;

let keys = 0;

/** A valid property-damage filing on `orderId`; override any field. */
export function claimInput(orderId: string, overrides: Partial<FileClaimInput> = {}): FileClaimInput {
  keys += 1;
  return {
    orderId,
    kinds: ['PROPERTY_DAMAGE'],
    incidentDate: '2026-06-01',
    description: 'The heater overheated and scorched the floor.',
    amountClaimed: { amount: '250.00', currencyCode: 'USD' },
    evidence: [
      {
        kind: 'PHOTO',
        description: 'Scorched floor',
        // Distinct content per filing, as distinct photos would be: reuse is a screening signal.
        contentHash: `sha256:${createHash('sha256').update(`${process.pid}-${keys}`).digest('hex')}`,
        uri: 'https://files.example.com/photo.jpg',
      },
    ],
    idempotencyKey: `key-${process.pid}-${keys}`,
    ...overrides,
  };
}

/** The event `releaseToSeller` writes: the first of the claim the seller side sees. */
export const RELEASE_MESSAGE = 'The seller was informed of the claim.';

/**
 * Releases a claim to its seller side as routing does (the seller's insurer on the incident day,
 * and an event from which the seller side sees the claim's events), leaving its status, payout and
 * deadlines alone: for tests of what sellers and insurers see, whatever screening would decide.
 */
export async function releaseToSeller(t: TestServer, claimGlobalId: string): Promise<void> {
  await t.orm.em.fork().transactional(async (em) => {
    const claim = await em.findOneOrFail(Claim, localIdOf(claimGlobalId, 'Claim')!);
    const compliance = await t.server.services.compliance.on(em, claim.seller.id, claim.incidentDate);
    claim.insurer = compliance.policy?.provider ?? null;
    claim.releasedToSellerAt = t.clock.now();
    claim.releasedFromSequence = claim.lastEventSequence + 1;
    appendClaimEvent(em, claim, {
      type: ClaimEventType.SELLER_NOTIFIED,
      at: t.clock.now(),
      actorRole: ActorRole.SYSTEM,
      message: RELEASE_MESSAGE,
    });
  });
}

/** Policy terms that meet every marketplace requirement: $1M/$2M, $5,000 deductible, marketplace named. */
export const COMPLIANT_TERMS = {
  currency: 'USD',
  perOccurrenceLimitMinor: 100_000_000n,
  aggregateLimitMinor: 200_000_000n,
  deductibleMinor: 500_000n,
  additionalInsured: true,
} as const;

/** Gives `sellerRef` a verified policy from the insurer `insurerRef` (created if new). */
export async function insureSeller(t: TestServer, sellerRef: string, insurerRef: string): Promise<void> {
  const em = t.orm.em.fork();
  const provider =
    (await em.findOne(InsuranceProvider, { externalRef: insurerRef })) ??
    em.create(InsuranceProvider, { externalRef: insurerRef, name: `Insurer ${insurerRef}` });
  const seller = await em.findOneOrFail(Seller, { externalRef: sellerRef });
  em.create(InsurancePolicy, {
    seller,
    provider,
    policyNumber: `POL-${sellerRef}-${insurerRef}`,
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    verificationStatus: PolicyVerificationStatus.VERIFIED,
    ...COMPLIANT_TERMS,
  });
  await em.flush();
}

/** Row counts of every table a filing writes to, to prove a refused request wrote nothing. */
export async function claimTableCounts(t: TestServer): Promise<Record<string, number>> {
  const connection = t.orm.em.getConnection();
  const counts: Record<string, number> = {};
  for (const table of [
    'claim',
    'claim_evidence',
    'claim_injury_details',
    'claim_event',
    'idempotency_record',
  ]) {
    const [row] = await connection.execute<{ count: string | number }[]>(
      `select count(*) as count from ${table}`,
    );
    counts[table] = Number(row.count);
  }
  return counts;
}
