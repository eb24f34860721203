import type { EntityManager } from '@mikro-orm/core';
import { ClaimDecision, type ClaimDecisionKind } from '../../entities/claim-decision.entity';
import type { ActorRole } from '../../entities/claim-event-type';
import type { Claim } from '../../entities/claim.entity';

/** Records a decision on a claim: what, who and why. Decisions are never changed afterwards. */
export function recordDecision(
  em: EntityManager,
  claim: Claim,
  kind: ClaimDecisionKind,
  actor: { role: ActorRole; subject?: string | null },
  reason: string,
  at: Date,
): ClaimDecision {
  return em.create(ClaimDecision, {
    claim,
    kind,
    decidedByRole: actor.role,
    decidedBySubject: actor.subject ?? null,
    reason,
    decidedAt: at,
  });
}
