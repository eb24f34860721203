import type { EntityManager, FilterQuery, QBFilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { ClaimEvent } from '../../entities/claim-event.entity';
import type { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { FraudReview } from '../../entities/fraud-review.entity';
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
  customer_message: string | null;
  seller_side_message: string | null;
  claim_filed_at: Date | string | number;
  released_from_sequence: number | null;
  customer_ref: string;
  seller_ref: string;
  insurer_ref: string | null;
}

/**
 * Reads committed events after a position, in order, with what visibility needs of their claims:
 * one query for the events with their claims' parties, one for the claims' fraud reviews.
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
      'e.customer_message',
      'e.seller_side_message',
    ])
    .join('e.claim', 'c')
    .join('c.customer', 'cu')
    .join('c.seller', 's')
    .leftJoin('c.insurer', 'ip')
    .addSelect([
      'c.id as claim_id',
      'c.filed_at as claim_filed_at',
      'c.released_from_sequence',
      'cu.external_ref as customer_ref',
      's.external_ref as seller_ref',
      'ip.external_ref as insurer_ref',
    ])
    .where({ id: { $gt: position }, claim: claimWhere } as QBFilterQuery<ClaimEvent>)
    .orderBy({ id: 'asc' })
    .limit(limit)
    .execute<EventRow[]>('all', false);
  if (rows.length === 0) return [];

  const reviews = await reviewsOf(em, [...new Set(rows.map((row) => row.claim_id))]);
  return rows.map((row) => {
    const review = reviews.get(row.claim_id);
    return {
      position: String(row.id),
      claimId: row.claim_id,
      claimFiledAt: new Date(row.claim_filed_at),
      sequence: row.sequence,
      type: row.type,
      occurredAt: new Date(row.occurred_at),
      actorRole: row.actor_role,
      fromStatus: row.from_status ?? null,
      toStatus: row.to_status ?? null,
      text: { marketplace: row.message, customer: row.customer_message, sellerSide: row.seller_side_message },
      audience: {
        customerRef: row.customer_ref,
        sellerRef: row.seller_ref,
        insurerRef: row.insurer_ref ?? null,
        releasedFromSequence: row.released_from_sequence ?? null,
        reviewerRef: review?.expert_subject ?? null,
        reviewFromSequence: review?.assigned_from_sequence ?? null,
        reviewUntilSequence: review?.assigned_until_sequence ?? null,
      },
    };
  });
}

interface ReviewRow {
  claim_id: number;
  expert_subject: string | null;
  assigned_from_sequence: number | null;
  assigned_until_sequence: number | null;
}

/** The fraud review of each claim that has one (a claim has at most one). */
async function reviewsOf(em: EntityManager, claimIds: number[]): Promise<Map<number, ReviewRow>> {
  const rows = await (em as SqlEntityManager)
    .createQueryBuilder(FraudReview, 'r')
    .select(['r.claim_id', 'r.expert_subject', 'r.assigned_from_sequence', 'r.assigned_until_sequence'])
    .where({ claim: { $in: claimIds } })
    .execute<ReviewRow[]>('all', false);
  return new Map(rows.map((row) => [row.claim_id, row]));
}

/** The position of the latest committed event, or "0". */
export async function latestPosition(em: EntityManager): Promise<string> {
  const [latest] = await em.find(ClaimEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
  return latest?.id ?? '0';
}
