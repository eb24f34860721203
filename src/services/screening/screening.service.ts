import type { EntityManager } from '@mikro-orm/core';
import { ClaimDescriptionBand } from '../../entities/claim-description-band.entity';
import { ClaimScreening } from '../../entities/claim-screening.entity';
import type { Claim } from '../../entities/claim.entity';
import { similarityBands } from './description-similarity';
import { assessRisk, type RiskAssessment } from './risk-assessment';
import { loadScreeningFacts } from './screening-facts.loader';
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
    return assessRisk(await loadScreeningFacts(em, claim, this.loaded.policy), this.loaded.policy);
  }

  /** Assesses the claim and stages its screening record in `em`. */
  async screen(em: EntityManager, claim: Claim, now: Date): Promise<RiskAssessment> {
    const assessment = await this.assess(em, claim);
    em.create(ClaimScreening, {
      claim,
      riskScore: assessment.riskScore,
      outcome: assessment.outcome,
      priority: assessment.priority,
      signals: assessment.signals,
      policyVersion: this.loaded.policy.version,
      policyDigest: this.loaded.digest,
      screenedAt: now,
    });
    return assessment;
  }
}

/**
 * Stages the claim's description bands, the index near-identical descriptions are found by. Done
 * when the claim is filed, so that claims filed but not yet screened are already found.
 */
export function indexClaimDescription(em: EntityManager, claim: Claim): void {
  for (const band of similarityBands(claim.description)) em.create(ClaimDescriptionBand, { claim, band });
}
