import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { ClaimEvent } from '../entities/claim-event.entity';
import type { Claim } from '../entities/claim.entity';
import { InsurancePolicy, InsurancePolicyStatus } from '../entities/insurance-policy.entity';
import type { DeliveredEvent } from './delivered-event';

/**
 * Reads committed events after a position, in order, with the parties of their claims: one query
 * for the events with their claims, customers and sellers, one for the sellers' insurers.
 */
export async function readEventsAfter(
  em: EntityManager,
  position: string,
  limit: number,
  claimWhere: FilterQuery<Claim> = {},
): Promise<DeliveredEvent[]> {
  const events = await em.find(
    ClaimEvent,
    { id: { $gt: position }, claim: claimWhere } as FilterQuery<ClaimEvent>,
    { orderBy: { id: 'asc' }, limit, populate: ['claim', 'claim.customer', 'claim.seller'] as never },
  );
  if (events.length === 0) return [];
  const sellerIds = [...new Set(events.map((event) => event.claim.seller.id))];
  const policies = await em.find(
    InsurancePolicy,
    { seller: { $in: sellerIds }, status: { $ne: InsurancePolicyStatus.REJECTED } },
    { populate: ['provider'] },
  );
  const insurersBySeller = new Map<number, string[]>();
  for (const policy of policies) {
    insurersBySeller.set(policy.seller.id, [...(insurersBySeller.get(policy.seller.id) ?? []), policy.provider.externalRef]);
  }
  return events.map((event) => ({
    position: event.id,
    claimId: event.claim.id,
    claimFiledAt: event.claim.filedAt,
    sequence: event.sequence,
    type: event.type,
    occurredAt: event.occurredAt,
    actorRole: event.actorRole,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    message: event.message,
    parties: {
      customerRef: event.claim.customer.externalRef,
      sellerRef: event.claim.seller.externalRef,
      released: Boolean(event.claim.releasedToSellerAt),
      insurerRefs: insurersBySeller.get(event.claim.seller.id) ?? [],
    },
  }));
}

/** The position of the latest committed event, or "0". */
export async function latestPosition(em: EntityManager): Promise<string> {
  const [latest] = await em.find(ClaimEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
  return latest?.id ?? '0';
}
