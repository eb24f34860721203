import type { EntityManager } from '@mikro-orm/core';
import type { Config } from '../../config';
import { type ClaimDecision, ClaimDecisionKind } from '../../entities/claim-decision.entity';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import { ClaimRoute } from '../../entities/claim-route';
import { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { FraudReview, FraudReviewStatus } from '../../entities/fraud-review.entity';
import { Recovery, RecoveryStatus } from '../../entities/recovery.entity';
import { ScreeningOutcome } from '../../entities/screening-outcome';
import { JobKind } from '../../entities/scheduled-job.entity';
import { recordDecision } from './claim-decisions';
import { applyTransition, ClaimTransition, type GuardContext } from './claim-state-machine';
import { appendClaimEvent } from './claim-timeline';
import { scheduleJob } from '../jobs/job-scheduler';
import { formatAmount, parseAmount } from '../money/money';
import type { PayoutService } from '../money/payout.service';
import type { RecoveryService } from '../money/recovery.service';
import type { ScreeningService } from '../screening/screening.service';
import type { Compliance, SellerComplianceService } from '../insurance/seller-compliance.service';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SYSTEM = { role: ActorRole.SYSTEM };

/**
 * What the marketplace does on its own: screen and route filed claims, pay concessions, step in
 * when a seller stays silent, and settle recoveries when an insurance grace period ends. Each
 * method runs inside the transaction of the job that triggers it.
 */
export class ClaimRoutingService {
  constructor(
    private readonly workflow: Config['workflow'],
    private readonly screening: ScreeningService,
    private readonly compliance: SellerComplianceService,
    private readonly payouts: PayoutService,
    private readonly recoveries: RecoveryService,
  ) {}

  guardContext(now: Date): GuardContext {
    return { now, appealWindowDays: this.workflow.appealWindowDays };
  }

  /**
   * Screening first: a pass goes on to routing, a referral waits for an independent expert, a hard
   * rule denies with its reason. Until a claim is routed the seller neither sees nor hears of it.
   */
  async screenAndRoute(em: EntityManager, claim: Claim, now: Date): Promise<void> {
    return this.screenAndRouteAll(em, [claim], now);
  }

  /**
   * `screenAndRoute` for several claims in one transaction, their history and their sellers' cover
   * read once for all. Claims of one claimant must not be screened together: one's outcome is
   * history for the next.
   */
  async screenAndRouteAll(em: EntityManager, claims: readonly Claim[], now: Date): Promise<void> {
    const due = claims.filter((claim) => claim.status === ClaimStatus.SUBMITTED);
    if (due.length === 0) return;
    // The history is read first, from what is committed: what the batch stages is written only
    // as it commits.
    const assessments = await this.screening.assessAll(em, due);
    const compliance = await this.compliance.ofSellers(
      em,
      due.map((claim) => claim.seller.id),
    );
    const context = this.guardContext(now);
    for (const claim of due) {
      const screening = assessments.get(claim.id)!;
      applyTransition(em, claim, ClaimTransition.START_SCREENING, { actor: SYSTEM, context });
      this.screening.record(em, claim, screening, now);
      switch (screening.outcome) {
        case ScreeningOutcome.PASS:
          await this.route(em, claim, now, SYSTEM, compliance(claim.seller.id, claim.incidentDate));
          break;
        case ScreeningOutcome.DENY:
          applyTransition(em, claim, ClaimTransition.DENY_IN_SCREENING, { actor: SYSTEM, context });
          recordDecision(
            em,
            claim,
            ClaimDecisionKind.DENIED_IN_SCREENING,
            SYSTEM,
            screening.denialReason!,
            now,
          );
          claim.deniedAt = now;
          claim.denialReason = screening.denialReason;
          break;
        case ScreeningOutcome.REFER:
          applyTransition(em, claim, ClaimTransition.REFER_TO_EXPERT, { actor: SYSTEM, context });
          // The decision is visible to the customer: it says what happens, not the score behind it.
          recordDecision(
            em,
            claim,
            ClaimDecisionKind.REFERRED_TO_EXPERT,
            SYSTEM,
            'referred to an independent expert for review',
            now,
          );
          em.create(FraudReview, {
            claim,
            status: FraudReviewStatus.QUEUED,
            priority: screening.priority!,
            riskScore: screening.riskScore,
            referredAt: now,
          });
          break;
      }
    }
  }

  /**
   * A claim judged possibly valid, by screening or by an expert (`actor`): a concession below the
   * threshold, otherwise the seller's turn. `compliance`: the seller's cover on the incident day,
   * when it was already judged.
   */
  async route(
    em: EntityManager,
    claim: Claim,
    now: Date,
    actor: { role: ActorRole; subject?: string | null },
    compliance?: Compliance,
  ): Promise<void> {
    const context = this.guardContext(now);
    compliance ??= await this.compliance.on(em, claim.seller.id, claim.incidentDate);
    // The status change below is the first event the seller side sees.
    this.release(claim, compliance, now);
    const amount = `${formatAmount(claim.claimedAmountMinor, claim.currency)} ${claim.currency}`;
    const threshold = this.thresholdIn(claim.currency);

    if (claim.claimedAmountMinor < threshold) {
      claim.route = ClaimRoute.CONCESSION;
      const decision = recordDecision(
        em,
        claim,
        ClaimDecisionKind.ROUTED_TO_CONCESSION,
        SYSTEM,
        `${amount} is below the concession threshold of ${formatAmount(threshold, claim.currency)} ${claim.currency}`,
        now,
      );
      applyTransition(em, claim, ClaimTransition.APPROVE_CONCESSION, { actor, context });
      const payout = await this.payouts.payByMarketplace(em, claim, decision, now);
      applyTransition(em, claim, ClaimTransition.MARK_PAID, { actor: SYSTEM, context });
      if (compliance.compliant) {
        appendClaimEvent(em, claim, {
          type: ClaimEventType.SELLER_NOTIFIED,
          at: now,
          actorRole: ActorRole.SYSTEM,
          message:
            'The seller was informed: the marketplace paid this claim at no cost to the seller, who may still submit evidence that the product was not defective.',
        });
        applyTransition(em, claim, ClaimTransition.CLOSE, { actor: SYSTEM, context });
      } else {
        const graceEndsAt = new Date(now.getTime() + this.workflow.insuranceGraceDays * DAY);
        appendClaimEvent(em, claim, {
          type: ClaimEventType.SELLER_NOTIFIED,
          at: now,
          actorRole: ActorRole.SYSTEM,
          message: {
            marketplace:
              'The seller was informed: the marketplace paid this claim; the seller held no valid insurance on the incident date.',
            customer: 'The seller was informed of the claim.',
          },
        });
        await this.recoveries.open(em, claim, payout, now, {
          reason: `${compliance.reasons.join('; ')}; concession paid for an uninsured seller`,
          awaitingProofUntil: graceEndsAt,
        });
        scheduleJob(em, JobKind.INSURANCE_GRACE_END, claim, graceEndsAt, now);
      }
      return;
    }

    claim.route = ClaimRoute.SELLER_RESPONSE;
    claim.respondBy = new Date(now.getTime() + this.workflow.sellerResponseHours * HOUR);
    recordDecision(
      em,
      claim,
      ClaimDecisionKind.ROUTED_TO_SELLER,
      SYSTEM,
      `${amount} is at or above the concession threshold: the seller must respond`,
      now,
    );
    applyTransition(em, claim, ClaimTransition.REQUEST_SELLER_RESPONSE, { actor, context });
    const respondBy = claim.respondBy.toISOString();
    appendClaimEvent(em, claim, {
      type: ClaimEventType.SELLER_NOTIFIED,
      at: now,
      actorRole: ActorRole.SYSTEM,
      message: `The seller was notified and must accept or reject the claim by ${respondBy}.`,
    });
    if (claim.insurer) {
      appendClaimEvent(em, claim, {
        type: ClaimEventType.INSURER_NOTIFIED,
        at: now,
        actorRole: ActorRole.SYSTEM,
        message: `The seller's insurer was notified and may respond by ${respondBy}.`,
      });
    }
    for (const hours of this.workflow.reminderHoursBefore) {
      const at = new Date(claim.respondBy.getTime() - hours * HOUR);
      if (at.getTime() > now.getTime()) scheduleJob(em, JobKind.SELLER_RESPONSE_REMINDER, claim, at, now);
    }
    scheduleJob(em, JobKind.SELLER_RESPONSE_DEADLINE, claim, claim.respondBy, now);
  }

  /**
   * Releases the claim to its seller side: from the next event on, the seller and the seller's
   * insurer on the incident day see it.
   */
  private release(claim: Claim, compliance: Compliance, now: Date): void {
    claim.insurer = compliance.policy?.provider ?? null;
    claim.releasedToSellerAt = now;
    claim.releasedFromSequence = claim.lastEventSequence + 1;
  }

  /**
   * Before the marketplace steps in on a claim the seller side never heard of (denied in screening
   * or by an expert, then appealed): the seller is pursued, so from the step-in on it sees the
   * claim. Answers whether the claim was released now.
   */
  async releaseBeforeSteppingIn(em: EntityManager, claim: Claim, now: Date): Promise<boolean> {
    if (claim.releasedFromSequence != null) return false;
    this.release(claim, await this.compliance.on(em, claim.seller.id, claim.incidentDate), now);
    return true;
  }

  /** The seller hears of a claim first when the marketplace stepped in on it and pursues it. */
  tellSellerOfStepIn(em: EntityManager, claim: Claim, now: Date): void {
    appendClaimEvent(em, claim, {
      type: ClaimEventType.SELLER_NOTIFIED,
      at: now,
      actorRole: ActorRole.SYSTEM,
      message: {
        marketplace:
          "The seller was informed: the marketplace paid this claim after the customer's appeal and recovers the amount; the seller may submit evidence that the product was not defective.",
        sellerSide:
          'The seller was informed: the marketplace paid this claim and recovers the amount; the seller may submit evidence that the product was not defective.',
        customer: 'The seller was informed of the claim.',
      },
    });
  }

  async remindSeller(em: EntityManager, claim: Claim, now: Date): Promise<void> {
    if (claim.status !== ClaimStatus.AWAITING_SELLER || !claim.respondBy || now >= claim.respondBy) return;
    const hoursLeft = Math.max(1, Math.round((claim.respondBy.getTime() - now.getTime()) / HOUR));
    appendClaimEvent(em, claim, {
      type: ClaimEventType.RESPONSE_REMINDER,
      at: now,
      actorRole: ActorRole.SYSTEM,
      message: `Reminder sent to the seller${claim.insurer ? ' and its insurer' : ''}: about ${hoursLeft} h left to respond (deadline ${claim.respondBy.toISOString()}).`,
    });
  }

  /** The deadline passed in silence: pay the customer, then pursue the seller or its insurer. */
  async stepInAfterSilence(em: EntityManager, claim: Claim, now: Date): Promise<void> {
    if (claim.status !== ClaimStatus.AWAITING_SELLER) return;
    const context = this.guardContext(now);
    const decision = recordDecision(
      em,
      claim,
      ClaimDecisionKind.STEPPED_IN_AFTER_SILENCE,
      SYSTEM,
      `no response by the deadline of ${claim.respondBy?.toISOString()}`,
      now,
    );
    applyTransition(em, claim, ClaimTransition.STEP_IN_AFTER_SILENCE, { actor: SYSTEM, context });
    await this.payAndPursue(em, claim, decision, SYSTEM, now, 'the seller did not respond by the deadline');
  }

  /** After a step-in: the marketplace pays, then opens a recovery it may later drop. */
  async payAndPursue(
    em: EntityManager,
    claim: Claim,
    decision: ClaimDecision,
    actor: { role: ActorRole; subject?: string | null },
    now: Date,
    reason: string,
  ): Promise<void> {
    const payout = await this.payouts.payByMarketplace(em, claim, decision, now);
    applyTransition(em, claim, ClaimTransition.MARK_PAID, { actor, context: this.guardContext(now) });
    await this.recoveries.open(em, claim, payout, now, { reason: `the marketplace stepped in: ${reason}` });
  }

  /** End of the grace period of a concession to an uninsured seller. */
  async endInsuranceGrace(em: EntityManager, claim: Claim, now: Date): Promise<void> {
    const recovery = await em.findOne(Recovery, { claim, status: RecoveryStatus.AWAITING_PROOF });
    if (!recovery) return;
    const compliance = await this.compliance.on(em, claim.seller.id, claim.incidentDate);
    if (compliance.compliant) {
      await this.recoveries.cancel(
        em,
        claim,
        recovery,
        now,
        ActorRole.SYSTEM,
        'The seller proved valid insurance on the incident date within the grace period: nothing is recovered.',
      );
    } else {
      await this.recoveries.activate(em, claim, recovery, now);
    }
    this.closeIfSettled(em, claim, recovery, now);
  }

  /** A paid claim closes once no recovery is outstanding. */
  closeIfSettled(em: EntityManager, claim: Claim, recovery: Recovery | null, now: Date): void {
    const outstanding =
      recovery && [RecoveryStatus.AWAITING_PROOF, RecoveryStatus.OPEN].includes(recovery.status);
    if (claim.status === ClaimStatus.PAID && !outstanding) {
      applyTransition(em, claim, ClaimTransition.CLOSE, { actor: SYSTEM, context: this.guardContext(now) });
    }
  }

  private thresholdIn(currency: string): bigint {
    const parsed = parseAmount(this.workflow.concessionThreshold, currency);
    if (!parsed.ok) throw new Error(`CONCESSION_THRESHOLD cannot be expressed in ${currency}`);
    return parsed.minor;
  }
}
