import type { EntityManager } from '@mikro-orm/core';
import { ClaimEvent } from '../entities/claim-event.entity';
import type { ActorRole, ClaimEventType } from '../entities/claim-event-type';
import type { ClaimStatus } from '../entities/claim-status';
import type { Claim } from '../entities/claim.entity';

export interface ClaimEventInput {
  type: ClaimEventType;
  at: Date;
  actorRole: ActorRole;
  actorSubject?: string | null;
  fromStatus?: ClaimStatus | null;
  toStatus?: ClaimStatus | null;
  message: string;
}

/**
 * Stages the claim's next timeline event in `em`, to be flushed in the same transaction as the
 * change it records. The caller must hold the claim (locked, or versioned), since the per-claim
 * sequence is taken from it; the unique (claim, sequence) constraint catches any slip.
 */
export function appendClaimEvent(em: EntityManager, claim: Claim, event: ClaimEventInput): ClaimEvent {
  claim.lastEventSequence += 1;
  return em.create(ClaimEvent, claimEventRow(claim, claim.lastEventSequence, event));
}

/** The row of a claim's event at `sequence` (the claim, or its id once it is written). */
export function claimEventRow(claim: Claim | number, sequence: number, event: ClaimEventInput) {
  return {
    claim,
    sequence,
    type: event.type,
    occurredAt: event.at,
    actorRole: event.actorRole,
    actorSubject: event.actorSubject ?? null,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    message: event.message,
  };
}
