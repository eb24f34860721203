import type { EntityManager } from '@mikro-orm/core';
import { ClaimEvidence } from '../entities/claim-evidence.entity';
import type { ActorRole } from '../entities/claim-event-type';
import type { Claim } from '../entities/claim.entity';
import type { EvidenceRequest } from './evidence-input';

/** Stages checked evidence items on a claim, in the caller's transaction. */
export function stageEvidence(em: EntityManager, claim: Claim, items: EvidenceRequest[], addedBy: ActorRole, at: Date): void {
  for (const item of items) {
    em.create(ClaimEvidence, {
      claim,
      kind: item.kind,
      description: item.description,
      contentHash: item.contentHash,
      uri: item.uri,
      addedAt: at,
      addedByRole: addedBy,
    });
  }
}
