import type { EntityManager, FilterQuery, QBFilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { ClaimEvent } from '../../entities/claim-event.entity';
import type { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { InsurancePolicy, PolicyVerificationStatus } from '../../entities/insurance-policy.entity';
import type { DeliveredEvent } from './delivered-event';

/** One row of the event read: the event's own columns and what delivery needs of its claim. */
interface EventRow {
  id: string | number;
  claim_id: number;
  sequence: number;
  type: ClaimEventType;
  occurred_at: Date | string | number;
  actor_role: ActorRole;
  from_status: ClaimStatus | null;
  to_status: ClaimStatus | null;
  message: string;
  claim_filed_at: Date | string | number;
  released_to_seller_at: Date | string | number | null;
  customer_ref: string;
  seller_id: number;
  seller_ref: string;
}

/**
 * Reads committed events after a position, in order, with the parties of their claims: one query
 * for the events with their claims, customers and sellers, one for the sellers' insurers.
 *
 * Every delivered event passes through here, on every instance, so the rows are read as plain
 * values rather than hydrated into entities: this is the fixed cost of each commit's fan-out.
 */
export async function readEventsAfter(
  em: EntityManager,
  position: string,
  limit: number,
  claimWhere: FilterQuery<Claim> = {},
): Promise<DeliveredEvent[]> {
  // Both supported databases are SQL: the query builder is always there.
  const rows = await (em as SqlEntityManager)
    .createQueryBuilder(ClaimEvent, 'e')
    .select([
      'e.id',
      'e.sequence',
      'e.type',
      'e.occurred_at',
      'e.actor_role',
      'e.from_status',
      'e.to_status',
      'e.message',
    ])
    .join('e.claim', 'c')
    .join('c.customer', 'cu')
    .join('c.seller', 's')
    .addSelect([
      'c.id as claim_id',
      'c.filed_at as claim_filed_at',
      'c.released_to_seller_at',
      'cu.external_ref as customer_ref',
      's.id as seller_id',
      's.external_ref as seller_ref',
    ])
    .where({ id: { $gt: position }, claim: claimWhere } as QBFilterQuery<ClaimEvent>)
    .orderBy({ id: 'asc' })
    .limit(limit)
    .execute<EventRow[]>('all', false);
  if (rows.length === 0) return [];

  const insurersBySeller = await insurersOf(em, [...new Set(rows.map((row) => row.seller_id))]);
  return rows.map((row) => ({
    position: String(row.id),
    claimId: row.claim_id,
    claimFiledAt: new Date(row.claim_filed_at),
    sequence: row.sequence,
    type: row.type,
    occurredAt: new Date(row.occurred_at),
    actorRole: row.actor_role,
    fromStatus: row.from_status ?? null,
    toStatus: row.to_status ?? null,
    message: row.message,
    parties: {
      customerRef: row.customer_ref,
      sellerRef: row.seller_ref,
      released: row.released_to_seller_at !== null,
      insurerRefs: insurersBySeller.get(row.seller_id) ?? [],
    },
  }));
}

/** The insurers with a (not rejected) policy on each seller. */
async function insurersOf(em: EntityManager, sellerIds: number[]): Promise<Map<number, string[]>> {
  const rows = await (em as SqlEntityManager)
    .createQueryBuilder(InsurancePolicy, 'p')
    .select(['p.seller_id'])
    .join('p.provider', 'pr')
    .addSelect(['pr.external_ref as insurer_ref'])
    .where({ seller: { $in: sellerIds }, verificationStatus: { $ne: PolicyVerificationStatus.REJECTED } })
    .execute<{ seller_id: number; insurer_ref: string }[]>('all', false);
  const bySeller = new Map<number, string[]>();
  for (const row of rows)
    bySeller.set(row.seller_id, [...(bySeller.get(row.seller_id) ?? []), row.insurer_ref]);
  return bySeller;
}

/** The position of the latest committed event, or "0". */
export async function latestPosition(em: EntityManager): Promise<string> {
  const [latest] = await em.find(ClaimEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
  return latest?.id ?? '0';
}
