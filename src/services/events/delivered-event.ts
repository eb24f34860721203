import type { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';

/** Who is concerned by a claim, as event delivery needs it to decide who may see an event. */
export interface ClaimParties {
  customerRef: string;
  sellerRef: string;
  /** Passed screening: the seller side may see it. */
  released: boolean;
  /** Insurers with a (not rejected) policy on the seller. */
  insurerRefs: string[];
}

/** A committed claim event with what delivery needs; `position` is its global sequence. */
export interface DeliveredEvent {
  position: string;
  claimId: number;
  claimFiledAt: Date;
  sequence: number;
  type: ClaimEventType;
  occurredAt: Date;
  actorRole: ActorRole;
  fromStatus: ClaimStatus | null;
  toStatus: ClaimStatus | null;
  message: string;
  parties: ClaimParties;
}
