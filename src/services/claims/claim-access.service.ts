import type { FilterQuery } from '@mikro-orm/core';
import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { ClaimEvidence } from '../../entities/claim-evidence.entity';
import type { ClaimInjuryDetails } from '../../entities/claim-injury-details.entity';
import type { Claim } from '../../entities/claim.entity';
import { SENSITIVE_EVIDENCE_KINDS } from '../../entities/evidence-kind';
import { FraudReview } from '../../entities/fraud-review.entity';
import { PayerParty } from '../../entities/money-party';
import { InsurancePolicy, PolicyVerificationStatus } from '../../entities/insurance-policy.entity';
import { SensitiveDataKind } from '../../entities/sensitive-data-access.entity';
import type { RequestContext } from '../../server/request-context';
import type { SensitiveDataAuditService } from './sensitive-data-audit.service';

/**
 * Who may see which claims. Every read of claims goes through `visibleClaimsFilter`, so scoping
 * holds whichever resolver or service asks.
 */
export class ClaimAccessService {
  constructor(private readonly audit: SensitiveDataAuditService) {}

  /**
   * - AGENT: every claim.
   * - CUSTOMER: the claims filed on its own orders.
   * - SELLER: claims against it that passed screening (released to the seller).
   * - INSURER: released claims against sellers it has issued a (not rejected) policy to.
   * - FRAUD_EXPERT: the claims whose review it picked.
   */
  async visibleClaimsFilter(ctx: RequestContext): Promise<FilterQuery<Claim>> {
    const viewer = requireViewer(ctx.auth);
    switch (viewer.role) {
      case Role.AGENT:
        return {};
      case Role.CUSTOMER:
        return { customer: { externalRef: viewer.subject } };
      case Role.SELLER:
        return { seller: { externalRef: viewer.subject }, releasedToSellerAt: { $ne: null } };
      case Role.INSURER: {
        const sellerIds = await this.sellersInsuredBy(ctx, viewer.subject);
        return { seller: { $in: sellerIds }, releasedToSellerAt: { $ne: null } };
      }
      case Role.FRAUD_EXPERT:
        return { id: { $in: await this.claimsReviewedBy(ctx, viewer.subject) } };
    }
  }

  /**
   * Injury details are medical information: the claimant, agents, the fraud expert reviewing the
   * claim and the insurer paying it see them.
   */
  async canSeeInjuryDetails(ctx: RequestContext, claim: Claim): Promise<boolean> {
    const viewer = ctx.auth.viewer;
    if (!viewer) return false;
    if (viewer.role === Role.AGENT) return true;
    if (viewer.role === Role.CUSTOMER) {
      const claimant = await ctx.loaders.customer.load(claim.customer.id);
      return claimant?.externalRef === viewer.subject;
    }
    if (viewer.role === Role.FRAUD_EXPERT) return this.isReviewedBy(ctx, claim, viewer.subject);
    // The insurer that accepted to pay the claim needs the medical facts to settle it.
    if (viewer.role === Role.INSURER && claim.acceptedPayer === PayerParty.INSURER && claim.insurer) {
      const insurer = await ctx.loaders.insurer.load(claim.insurer.id);
      return insurer?.externalRef === viewer.subject;
    }
    return false;
  }

  /** The claim's injury details, or null when there are none or the caller may not see them. */
  async injuryDetailsFor(ctx: RequestContext, claim: Claim): Promise<ClaimInjuryDetails | null> {
    if (!claim.coversPersonalInjury || !(await this.canSeeInjuryDetails(ctx, claim))) return null;
    const [details] = await ctx.loaders.claimInjuryDetails.load(claim.id);
    if (details) await this.auditUnlessClaimant(ctx, claim, SensitiveDataKind.INJURY_DETAILS);
    return details ?? null;
  }

  /** The claim's evidence, without medical records for callers who may not see injury details. */
  async evidenceFor(ctx: RequestContext, claim: Claim): Promise<ClaimEvidence[]> {
    const evidence = await ctx.loaders.claimEvidence.load(claim.id);
    if (!evidence.some((item) => SENSITIVE_EVIDENCE_KINDS.includes(item.kind))) return evidence;
    if (await this.canSeeInjuryDetails(ctx, claim)) {
      await this.auditUnlessClaimant(ctx, claim, SensitiveDataKind.MEDICAL_RECORD);
      return evidence;
    }
    return evidence.filter((item) => !SENSITIVE_EVIDENCE_KINDS.includes(item.kind));
  }

  /** Only the claimant reads its own medical information unrecorded (a customer who may see it is the claimant). */
  private async auditUnlessClaimant(
    ctx: RequestContext,
    claim: Claim,
    kind: SensitiveDataKind,
  ): Promise<void> {
    if (ctx.auth.viewer?.role !== Role.CUSTOMER) await this.audit.record(ctx, claim.id, kind);
  }

  /** Risk scores and expert reviews: agents, and the fraud expert reviewing the claim. */
  async canSeeScreening(ctx: RequestContext, claim: Claim): Promise<boolean> {
    const viewer = ctx.auth.viewer;
    if (viewer?.role === Role.AGENT) return true;
    return viewer?.role === Role.FRAUD_EXPERT && this.isReviewedBy(ctx, claim, viewer.subject);
  }

  /** Whether the caller, a fraud expert, picked this claim's review. */
  async isReviewedBy(ctx: RequestContext, claim: Claim, expertSubject: string): Promise<boolean> {
    const [review] = await ctx.loaders.claimFraudReviews.load(claim.id);
    return review?.expertSubject === expertSubject;
  }

  private async claimsReviewedBy(ctx: RequestContext, expertSubject: string): Promise<number[]> {
    const reviews = await ctx.em.find(
      FraudReview,
      { expertSubject },
      { fields: ['claim'], disableIdentityMap: true },
    );
    return reviews.map((review) => review.claim.id);
  }

  private async sellersInsuredBy(ctx: RequestContext, providerRef: string): Promise<number[]> {
    const policies = await ctx.em.find(
      InsurancePolicy,
      {
        provider: { externalRef: providerRef },
        verificationStatus: { $ne: PolicyVerificationStatus.REJECTED },
      },
      { fields: ['seller'] },
    );
    return [...new Set(policies.map((policy) => policy.seller.id))];
  }
}
