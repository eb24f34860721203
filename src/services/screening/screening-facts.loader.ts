import type { EntityManager } from '@mikro-orm/core';
import { ClaimDescriptionBand } from '../../entities/claim-description-band.entity';
import { ClaimEvidence } from '../../entities/claim-evidence.entity';
import { ClaimStatus } from '../../entities/claim-status';
import { Claim } from '../../entities/claim.entity';
import { Order } from '../../entities/order.entity';
import { claimNumberOf } from '../claim-number';
import { jaccard, normalisedWords, shingles } from './description-similarity';
import type { ScreeningFacts } from './screening-facts';
import type { ScreeningPolicy } from './screening-policy';

const DAY = 24 * 60 * 60 * 1000;
/**
 * History is read as plain snapshots, outside the identity map: partly loaded claims must not
 * join the unit of work of the job that is changing the claim under screening.
 */
const DETACHED = { disableIdentityMap: true } as const;
/** A claim that reached these statuses was paid (a claim only closes after payment). */
const PAID_STATUSES = [ClaimStatus.PAID, ClaimStatus.CLOSED];

/**
 * Gathers what screening needs, as of the claim's filing: only claims with a smaller id (filed
 * before it) count as history, so screening the same claim again gives the same facts whatever
 * was filed since.
 */
export async function loadScreeningFacts(em: EntityManager, claim: Claim, policy: ScreeningPolicy): Promise<ScreeningFacts> {
  const earlier = { $lt: claim.id };
  const order = await em.findOneOrFail(Order, claim.order.id);
  const customerId = claim.customer.id;

  // One query at a time: they share the transaction's connection.
  const ownClaims = await em.find(Claim, { customer: customerId, id: earlier }, { ...DETACHED, fields: ['id', 'filedAt', 'status'] });
  const evidence = await em.find(ClaimEvidence, { claim: claim.id }, { ...DETACHED, fields: ['contentHash'] });
  const productWindowStart = new Date(claim.filedAt.getTime() - policy.productClaims.windowDays * DAY);
  const productClaims = await em.count(Claim, { product: claim.product.id, id: earlier, filedAt: { $gte: productWindowStart } });
  const duplicates = await em.find(
    Claim,
    { order: order.id, id: { $ne: claim.id }, status: { $in: PAID_STATUSES } },
    { ...DETACHED, fields: ['id', 'filedAt', 'coversPropertyDamage', 'coversPersonalInjury'] },
  );

  const hashes = evidence.map((item) => item.contentHash);
  const reused = hashes.length === 0 ? [] : await em.find(
    ClaimEvidence,
    { contentHash: { $in: hashes }, claim: { id: earlier } },
    { ...DETACHED, populate: ['claim'], fields: ['contentHash', 'claim.id', 'claim.filedAt', 'claim.customer'], orderBy: { id: 'asc' } },
  );

  return {
    claim: {
      filedAt: claim.filedAt,
      incidentDate: claim.incidentDate,
      amountMinor: claim.claimedAmountMinor,
      currency: claim.currency,
      coversPersonalInjury: claim.coversPersonalInjury,
    },
    order: { priceMinor: order.priceMinor, deliveredAt: order.deliveredAt ?? null },
    earlierClaimsOfClaimant: ownClaims.map((c) => ({ filedAt: c.filedAt, denied: c.status === ClaimStatus.DENIED })),
    reusedEvidence: reused.map((item) => ({
      contentHash: item.contentHash,
      claimNumber: claimNumberOf(item.claim),
      sameCustomer: item.claim.customer.id === customerId,
    })),
    similarDescriptions: await similarDescriptions(em, claim, policy.similarDescription),
    claimantFirstOrderAt: (await firstOrderDates(em, [customerId], claim.filedAt)).get(customerId) ?? null,
    ...(await sharedAddress(em, claim, order, policy.sharedAddressAccounts.windowDays)),
    otherClaimantsWithPayoutDestination: claim.payoutDestination
      ? await distinctCustomers(em, { payoutDestination: claim.payoutDestination, customer: { $ne: customerId }, id: earlier })
      : 0,
    recentClaimsOnProduct: productClaims,
    paidDuplicates: duplicates
      .filter((other) => (claim.coversPropertyDamage && other.coversPropertyDamage) || (claim.coversPersonalInjury && other.coversPersonalInjury))
      .map(claimNumberOf),
  };
}

/** Earlier claims of other customers sharing a signature band, kept when truly alike. */
async function similarDescriptions(
  em: EntityManager,
  claim: Claim,
  { minSimilarity, minWords }: ScreeningPolicy['similarDescription'],
): Promise<ScreeningFacts['similarDescriptions']> {
  if (normalisedWords(claim.description).length < minWords) return [];
  const bands = await em.find(ClaimDescriptionBand, { claim: claim.id }, { ...DETACHED, fields: ['band'] });
  if (bands.length === 0) return [];
  const candidates = await em.find(
    ClaimDescriptionBand,
    { band: { $in: bands.map((b) => b.band) }, claim: { id: { $lt: claim.id }, customer: { $ne: claim.customer.id } } },
    { ...DETACHED, fields: ['claim'] },
  );
  const ids = [...new Set(candidates.map((c) => c.claim.id))];
  if (ids.length === 0) return [];
  const own = shingles(claim.description);
  const others = await em.find(Claim, { id: { $in: ids } }, { ...DETACHED, fields: ['id', 'filedAt', 'description'], orderBy: { id: 'asc' } });
  return others
    .filter((other) => normalisedWords(other.description).length >= minWords)
    .map((other) => ({ claimNumber: claimNumberOf(other), similarity: jaccard(own, shingles(other.description)) }))
    .filter((match) => match.similarity >= minSimilarity);
}

async function sharedAddress(em: EntityManager, claim: Claim, order: Order, windowDays: number): Promise<Pick<ScreeningFacts, 'newAccountsAtAddress' | 'otherClaimantsAtAddress'>> {
  if (!order.deliveryAddressKey) return { newAccountsAtAddress: 0, otherClaimantsAtAddress: 0 };
  const others = { $ne: claim.customer.id };
  const orders = await em.find(
    Order,
    { deliveryAddressKey: order.deliveryAddressKey, customer: others, purchasedAt: { $lte: claim.filedAt } },
    { ...DETACHED, fields: ['customer'] },
  );
  const firstOrders = await firstOrderDates(em, [...new Set(orders.map((o) => o.customer.id))], claim.filedAt);
  const windowStart = claim.filedAt.getTime() - windowDays * DAY;
  return {
    newAccountsAtAddress: [...firstOrders.values()].filter((first) => first.getTime() >= windowStart).length,
    otherClaimantsAtAddress: await distinctCustomers(em, { order: { deliveryAddressKey: order.deliveryAddressKey }, customer: others, id: { $lt: claim.id } }),
  };
}

/** Each customer's first order placed by `until`, by customer id. */
async function firstOrderDates(em: EntityManager, customerIds: number[], until: Date): Promise<Map<number, Date>> {
  if (customerIds.length === 0) return new Map();
  const orders = await em.find(
    Order,
    { customer: { $in: customerIds }, purchasedAt: { $lte: until } },
    { ...DETACHED, fields: ['customer', 'purchasedAt'], orderBy: { purchasedAt: 'asc' } },
  );
  const first = new Map<number, Date>();
  for (const o of orders) if (!first.has(o.customer.id)) first.set(o.customer.id, o.purchasedAt);
  return first;
}

async function distinctCustomers(em: EntityManager, where: object): Promise<number> {
  const claims = await em.find(Claim, where, { ...DETACHED, fields: ['customer'] });
  return new Set(claims.map((c) => c.customer.id)).size;
}
