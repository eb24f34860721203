import type { Role } from '../auth/role';

/** What a timeline entry records. */
export enum ClaimEventType {
  CLAIM_FILED = 'CLAIM_FILED',
  EVIDENCE_ADDED = 'EVIDENCE_ADDED',
  STATUS_CHANGED = 'STATUS_CHANGED',
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
