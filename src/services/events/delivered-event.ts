import type { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';
import type { ClaimAudience, EventText } from '../claims/claim-visibility';

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
  text: EventText;
  /** The claim's parties and view positions, as committed when the event was read. */
  audience: ClaimAudience;
}
