import type { Role } from '../auth/role';

/** What a timeline entry records. */
export enum ClaimEventType {
  CLAIM_FILED = 'CLAIM_FILED',
  EVIDENCE_ADDED = 'EVIDENCE_ADDED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  EXPERT_ASSIGNED = 'EXPERT_ASSIGNED',
  SELLER_NOTIFIED = 'SELLER_NOTIFIED',
  INSURER_NOTIFIED = 'INSURER_NOTIFIED',
  RESPONSE_REMINDER = 'RESPONSE_REMINDER',
  PAYOUT_PROMISED = 'PAYOUT_PROMISED',
  PAYOUT_COMPLETED = 'PAYOUT_COMPLETED',
  RECOVERY_OPENED = 'RECOVERY_OPENED',
  RECOVERY_CANCELLED = 'RECOVERY_CANCELLED',
  RECOVERY_COLLECTED = 'RECOVERY_COLLECTED',
  DEFENCE_SUBMITTED = 'DEFENCE_SUBMITTED',
  DEFENCE_DECIDED = 'DEFENCE_DECIDED',
}

const EVENT_TYPES = new Map<string, ClaimEventType>(
  Object.values(ClaimEventType).map((type) => [type, type]),
);

/** The event type named `name`, or null when it names none. */
export function claimEventTypeNamed(name: string): ClaimEventType | null {
  return EVENT_TYPES.get(name) ?? null;
}

/** Who acted: a role, or the system itself (deadlines, automatic screening). */
export enum ActorRole {
  CUSTOMER = 'CUSTOMER',
  SELLER = 'SELLER',
  INSURER = 'INSURER',
  AGENT = 'AGENT',
  FRAUD_EXPERT = 'FRAUD_EXPERT',
  SYSTEM = 'SYSTEM',
}

export function actorRoleOf(role: Role): ActorRole {
  return ActorRole[role];
}
