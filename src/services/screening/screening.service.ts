import type { EntityManager } from '@mikro-orm/core';
import { insertRowAtCommit } from '../../db/rows-at-commit';
import { ClaimScreening } from '../../entities/claim-screening.entity';
import type { Claim } from '../../entities/claim.entity';
import { similarityBands } from './description-similarity';
import { assessRisk, type RiskAssessment } from './risk-assessment';
import { loadScreeningFacts } from './screening-facts-reader';
import type { LoadedScreeningPolicy } from './screening-policy';

/**
 * Fraud and abuse screening: every claim passes through here before the seller hears of it. It
 * records the risk score, the signals behind it and the policy used, and says where the claim goes
 * (routing, an expert, or denial by a hard rule).
 */
export class ScreeningService {
  constructor(private readonly loaded: LoadedScreeningPolicy) {}

  get policyVersion(): string {
    return this.loaded.policy.version;
  }

  /** Assesses the claim without recording anything: the same claim and history, the same answer. */
  async assess(em: EntityManager, claim: Claim): Promise<RiskAssessment> {
    return (await this.assessAll(em, [claim])).get(claim.id)!;
  }

  /**
   * Assesses each claim as `assess` would alone, by claim id, reading the history of all of them
   * together. The caller keeps claims of one claimant apart: one's outcome is history for the next.
   */
  async assessAll(em: EntityManager, claims: readonly Claim[]): Promise<Map<number, RiskAssessment>> {
    const facts = await loadScreeningFacts(em, claims, this.loaded.policy);
    return new Map([...facts].map(([id, claimFacts]) => [id, assessRisk(claimFacts, this.loaded.policy)]));
  }

  /** Assesses the claim and stages its screening record in `em`. */
  async screen(em: EntityManager, claim: Claim, now: Date): Promise<RiskAssessment> {
    const assessment = await this.assess(em, claim);
    this.record(em, claim, assessment, now);
    return assessment;
  }

  /** Stages the screening record of an assessment made with `assess`, written as the transaction commits. */
  record(em: EntityManager, claim: Claim, assessment: RiskAssessment, now: Date): void {
    insertRowAtCommit(em, ClaimScreening, () => ({
      claim: claim.id,
      riskScore: assessment.riskScore,
      outcome: assessment.outcome,
      priority: assessment.priority,
      signals: assessment.signals,
      policyVersion: this.loaded.policy.version,
      policyDigest: this.loaded.digest,
      screenedAt: now,
    }));
  }
}

/**
 * The description-band rows of claims already written (twenty a claim): the index near-identical
 * descriptions are found by. Written when claims are filed, so that claims filed but not yet
 * screened are already found; as plain rows, since twenty entities a claim through the unit of
 * work would cost more than the rest of a filing.
 */
export function descriptionBandRows(claims: readonly Claim[]): { claim: number; band: string }[] {
  return claims.flatMap((claim) =>
    similarityBands(claim.description).map((band) => ({ claim: claim.id, band })),
  );
}
