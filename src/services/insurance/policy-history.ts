import type { EntityManager } from '@mikro-orm/core';
import type { ActorRole } from '../../entities/claim-event-type';
import {
  InsurancePolicyEvent,
  type InsurancePolicyEventType,
} from '../../entities/insurance-policy-event.entity';
import type { InsurancePolicy } from '../../entities/insurance-policy.entity';

/** Stages one entry of a policy's history, in the transaction of the change it records. */
export function recordPolicyEvent(
  em: EntityManager,
  policy: InsurancePolicy,
  type: InsurancePolicyEventType,
  actorRole: ActorRole,
  message: string,
  at: Date,
): InsurancePolicyEvent {
  return em.create(InsurancePolicyEvent, { policy, type, actorRole, message, occurredAt: at });
}
