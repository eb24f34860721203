import type { EntityManager } from '@mikro-orm/core';
import { insertAtCommit } from '../events/claim-event-sequencer';
import type { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import type { EventText } from './claim-visibility';

/** The text columns of an event: the marketplace's words, and the others' where they differ. */
function textColumns(text: string | EventText) {
  if (typeof text === 'string') return { message: text, customerMessage: null, sellerSideMessage: null };
  return {
    message: text.marketplace,
    customerMessage: text.customer ?? null,
    sellerSideMessage: text.sellerSide ?? null,
  };
}

export interface ClaimEventInput {
  type: ClaimEventType;
  at: Date;
  actorRole: ActorRole;
  actorSubject?: string | null;
  fromStatus?: ClaimStatus | null;
  toStatus?: ClaimStatus | null;
  /** One text for everyone, or a text per audience (see claim-visibility.ts). */
  message: string | EventText;
}

/**
 * Stages the claim's next timeline event, to be written when the transaction commits, with the
 * change it records. The caller must hold the claim (locked, or versioned), since the per-claim
 * sequence is taken from it; the unique (claim, sequence) constraint catches any slip.
 */
export function appendClaimEvent(em: EntityManager, claim: Claim, event: ClaimEventInput): void {
  claim.lastEventSequence += 1;
  insertAtCommit(em, {
    claim,
    sequence: claim.lastEventSequence,
    type: event.type,
    occurredAt: event.at,
    actorRole: event.actorRole,
    actorSubject: event.actorSubject ?? null,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    ...textColumns(event.message),
  });
}
