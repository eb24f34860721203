import type { FilterQuery } from '@mikro-orm/core';
import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { ClaimDecision } from '../../entities/claim-decision.entity';
import type { ClaimEvent } from '../../entities/claim-event.entity';
import type { ClaimEvidence } from '../../entities/claim-evidence.entity';
import type { ClaimInjuryDetails } from '../../entities/claim-injury-details.entity';
import type { ClaimScreening } from '../../entities/claim-screening.entity';
import type { Claim } from '../../entities/claim.entity';
import { SENSITIVE_EVIDENCE_KINDS } from '../../entities/evidence-kind';
import { FraudReview } from '../../entities/fraud-review.entity';
import type { InsuranceProvider } from '../../entities/insurance-provider.entity';
import type { Recovery } from '../../entities/recovery.entity';
import { SensitiveDataKind } from '../../entities/sensitive-data-access.entity';
import type { RequestContext } from '../../server/request-context';
import {
  type ClaimAudience,
  decisionInView,
  type EventAsRead,
  eventAsRead,
  eventInView,
  type EventWindows,
  maySeeMedical,
  insurerInView,
  maySeeScreening,
  recoveryInView,
  visibleClaimsWhere,
} from './claim-visibility';
import { type NextStep, nextStepOf } from './next-step';
import type { SensitiveDataAuditService } from './sensitive-data-audit.service';
import { claimAudienceOf, eventWindowsOf } from './claim-facts';

/**
 * Applies the visibility rule (claim-visibility.ts) to what a request reads: every read of claims
 * goes through `visibleClaimsFilter`, every read of a claim's events, decisions, screening and
 * medical information through the methods here, which load what the rule needs through the
 * request's loaders and record reads of medical information.
 */
export class ClaimAccessService {
  constructor(private readonly audit: SensitiveDataAuditService) {}

  /** The claims the caller may see, as a query condition. */
  async visibleClaimsFilter(ctx: RequestContext): Promise<FilterQuery<Claim>> {
    const viewer = requireViewer(ctx.auth);
    const reviewed =
      viewer.role === Role.FRAUD_EXPERT ? await this.claimsReviewedBy(ctx, viewer.subject) : [];
    return visibleClaimsWhere(viewer, reviewed);
  }

  /** What the visibility rule reads of a claim, through the request's loaders. */
  audienceOf(ctx: RequestContext, claim: Claim): Promise<ClaimAudience> {
    return claimAudienceOf(ctx, claim);
  }

  /** The claim's events the caller may see, oldest first. */
  async timelineFor(ctx: RequestContext, claim: Claim): Promise<ClaimEvent[]> {
    const viewer = requireViewer(ctx.auth);
    const [events, windows] = await Promise.all([
      ctx.loaders.claimEvents.load(claim.id),
      this.windowsFor(ctx, claim),
    ]);
    return events.filter((event) => eventInView(viewer, windows, event.sequence));
  }

  /** Whether the caller, who sees the event's claim, sees the event itself. */
  async canSeeEvent(ctx: RequestContext, claim: Claim, event: ClaimEvent): Promise<boolean> {
    return eventInView(requireViewer(ctx.auth), await this.windowsFor(ctx, claim), event.sequence);
  }

  /** What decides which events the caller sees; only an expert's view needs the review read. */
  private async windowsFor(ctx: RequestContext, claim: Claim): Promise<EventWindows> {
    const review =
      ctx.auth.viewer?.role === Role.FRAUD_EXPERT
        ? (await ctx.loaders.claimFraudReviews.load(claim.id))[0]
        : undefined;
    return eventWindowsOf(claim, review);
  }

  /** An event of a claim the caller sees, in the words written for the caller. */
  async eventAsRead(ctx: RequestContext, event: ClaimEvent): Promise<EventAsRead> {
    const claim = await ctx.loaders.claim.load(event.claim.id);
    return eventAsRead(
      requireViewer(ctx.auth),
      { releasedFromSequence: claim?.releasedFromSequence ?? null },
      {
        sequence: event.sequence,
        text: {
          marketplace: event.message,
          customer: event.customerMessage,
          sellerSide: event.sellerSideMessage,
        },
        actorRole: event.actorRole,
        fromStatus: event.fromStatus ?? null,
      },
    );
  }

  /** The claim's decisions the caller may see. */
  async decisionsFor(ctx: RequestContext, claim: Claim): Promise<ClaimDecision[]> {
    const viewer = requireViewer(ctx.auth);
    const decisions = await ctx.loaders.claimDecisions.load(claim.id);
    return decisions.filter((decision) => decisionInView(viewer, decision.kind));
  }

  /** The recovery, for every viewer but the customer; null otherwise. */
  async recoveryFor(ctx: RequestContext, claim: Claim): Promise<Recovery | null> {
    if (!recoveryInView(requireViewer(ctx.auth))) return null;
    return (await ctx.loaders.claimRecoveries.load(claim.id))[0] ?? null;
  }

  /** The seller's insurer on the incident day, for those who may read it; null otherwise. */
  async insurerFor(ctx: RequestContext, claim: Claim): Promise<InsuranceProvider | null> {
    if (!claim.insurer || !insurerInView(requireViewer(ctx.auth), claim.acceptedPayer)) return null;
    return ctx.loaders.insurer.load(claim.insurer.id);
  }

  /** What happens next, and whose move it is, as the caller may know it. */
  async nextStepFor(ctx: RequestContext, claim: Claim, appealWindowDays: number): Promise<NextStep> {
    return nextStepOf(claim, { appealWindowDays, recovery: await this.recoveryFor(ctx, claim) });
  }

  /** The automated screening, for agents and the expert reviewing the claim; null otherwise. */
  async screeningFor(ctx: RequestContext, claim: Claim): Promise<ClaimScreening | null> {
    if (!maySeeScreening(ctx.auth.viewer, await this.audienceOf(ctx, claim))) return null;
    return (await ctx.loaders.claimScreenings.load(claim.id))[0] ?? null;
  }

  /** The referral to an expert, for agents and the expert reviewing the claim; null otherwise. */
  async fraudReviewFor(ctx: RequestContext, claim: Claim): Promise<FraudReview | null> {
    if (!maySeeScreening(ctx.auth.viewer, await this.audienceOf(ctx, claim))) return null;
    return (await ctx.loaders.claimFraudReviews.load(claim.id))[0] ?? null;
  }

  /** Whether the caller may read the claim's medical information. */
  async canSeeMedical(ctx: RequestContext, claim: Claim): Promise<boolean> {
    return maySeeMedical(ctx.auth.viewer, await this.audienceOf(ctx, claim), claim.acceptedPayer);
  }

  /** The claim's injury details, or null when there are none or the caller may not see them. */
  async injuryDetailsFor(ctx: RequestContext, claim: Claim): Promise<ClaimInjuryDetails | null> {
    if (!claim.coversPersonalInjury || !(await this.canSeeMedical(ctx, claim))) return null;
    const [details] = await ctx.loaders.claimInjuryDetails.load(claim.id);
    if (details) await this.auditUnlessClaimant(ctx, claim, SensitiveDataKind.INJURY_DETAILS);
    return details ?? null;
  }

  /** The claim's evidence, without medical records for callers who may not see them. */
  async evidenceFor(ctx: RequestContext, claim: Claim): Promise<ClaimEvidence[]> {
    const evidence = await ctx.loaders.claimEvidence.load(claim.id);
    if (!evidence.some((item) => SENSITIVE_EVIDENCE_KINDS.includes(item.kind))) return evidence;
    if (await this.canSeeMedical(ctx, claim)) {
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

  private async claimsReviewedBy(ctx: RequestContext, expertSubject: string): Promise<number[]> {
    const reviews = await ctx.em.find(
      FraudReview,
      { expertSubject },
      { fields: ['claim'], disableIdentityMap: true },
    );
    return reviews.map((review) => review.claim.id);
  }
}
