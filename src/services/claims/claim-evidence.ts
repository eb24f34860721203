import type { EntityManager } from '@mikro-orm/core';
import { ClaimEvidence } from '../../entities/claim-evidence.entity';
import type { ActorRole } from '../../entities/claim-event-type';
import type { Claim } from '../../entities/claim.entity';
import { type EvidenceRequest, MAX_EVIDENCE_PER_CLAIM } from './evidence-input';
import { Refusal } from '../common/refusal';
import { UserErrorCode, userError } from '../common/user-error';

/** Stages checked evidence items on a claim, in the caller's transaction. */
export function stageEvidence(
  em: EntityManager,
  claim: Claim,
  items: EvidenceRequest[],
  addedBy: ActorRole,
  at: Date,
): void {
  for (const row of evidenceRows(claim, items, addedBy, at)) em.create(ClaimEvidence, row);
}

/** The rows of checked evidence items on a claim (the claim, or its id once it is written). */
export function evidenceRows(
  claim: Claim | number,
  items: readonly EvidenceRequest[],
  addedBy: ActorRole,
  at: Date,
) {
  return items.map((item) => ({
    claim,
    kind: item.kind,
    description: item.description,
    contentHash: item.contentHash,
    uri: item.uri,
    addedAt: at,
    addedByRole: addedBy,
  }));
}

/**
 * Stages the items not already on the claim (an item cited again is the same evidence, not new
 * evidence), refusing the command when the claim would exceed its evidence limit.
 */
export async function stageNewEvidence(
  em: EntityManager,
  claim: Claim,
  items: EvidenceRequest[],
  addedBy: ActorRole,
  at: Date,
): Promise<void> {
  if (items.length === 0) return;
  const known = new Set(
    (await em.find(ClaimEvidence, { claim }, { fields: ['contentHash'] })).map((item) => item.contentHash),
  );
  const fresh = items.filter((item) => !known.has(item.contentHash));
  if (known.size + fresh.length > MAX_EVIDENCE_PER_CLAIM) {
    throw new Refusal([
      userError(
        ['input', 'evidence'],
        UserErrorCode.TOO_MANY_ITEMS,
        `a claim holds at most ${MAX_EVIDENCE_PER_CLAIM} evidence items`,
      ),
    ]);
  }
  stageEvidence(em, claim, fresh, addedBy, at);
}
