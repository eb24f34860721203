import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { ClaimDecisionKind } from '../../entities/claim-decision.entity';
import { lockedForUpdate } from '../../db/row-lock';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import { Claim } from '../../entities/claim.entity';
import { FraudFinding, FraudReview, FraudReviewStatus } from '../../entities/fraud-review.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimCommandRunner } from '../claims/claim-command';
import { recordDecision } from '../claims/claim-decisions';
import type { ClaimResult } from '../claims/claim-result';
import type { ClaimRoutingService } from '../claims/claim-routing.service';
import { ClaimAction } from '../claims/claim-actions';
import { applyTransition, ClaimTransition } from '../claims/claim-state-machine';
import { appendClaimEvent } from '../claims/claim-timeline';
import type { Clock } from '../common/clock';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

/** Which open reviews a queue lists. */
export enum FraudReviewAssignment {
  /** Waiting for an expert. */
  UNASSIGNED = 'UNASSIGNED',
  /** Picked by the caller and not decided yet. */
  MINE = 'MINE',
  /** Both of the above; for agents, every open review. */
  ALL = 'ALL',
}

/** What the customer is told for each finding that denies a claim; the rationale stays internal. */
export const CUSTOMER_REASONS: Record<Exclude<FraudFinding, FraudFinding.VALID>, string> = {
  [FraudFinding.UNSUBSTANTIATED]:
    'An independent expert found that the claim is not supported by the evidence provided: it does not show that a defect in the product caused the loss claimed.',
  [FraudFinding.FRIVOLOUS]:
    'An independent expert found that the claim does not describe a loss caused by a defect in the product.',
  [FraudFinding.ABUSIVE]:
    'An independent expert found that the claim does not comply with the guarantee’s conditions of use, for example by repeating or inflating earlier claims.',
  [FraudFinding.FRAUDULENT]: 'An independent expert found that the claim or its evidence is not genuine.',
};

export interface PickResult {
  review: FraudReview | null;
  userErrors: UserError[];
}

const OPEN = [FraudReviewStatus.QUEUED, FraudReviewStatus.IN_REVIEW];
/** Candidates tried per pick when other experts take the first ones at the same moment. */
const PICK_CANDIDATES = 10;

/**
 * The independent expert review of referred claims: the queue (highest risk, then oldest first),
 * picking (one expert per claim, never two) and findings. A VALID finding sends the claim on to
 * routing; every other finding denies it with a reason the customer can read.
 */
export class FraudReviewService {
  constructor(
    private readonly clock: Clock,
    private readonly commands: ClaimCommandRunner,
    private readonly routing: ClaimRoutingService,
  ) {}

  queue(
    ctx: RequestContext,
    args: { first: number; after?: string | null; assignment?: FraudReviewAssignment | null },
  ): Promise<KeysetPage<FraudReview>> {
    const viewer = requireRole(ctx.auth, Role.FRAUD_EXPERT, Role.AGENT);
    checkPageSize(args.first);
    const assignment = args.assignment ?? FraudReviewAssignment.UNASSIGNED;
    return paginateByKeyset(ctx.em, FraudReview, this.queueFilter(viewer, assignment), {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: `QUEUE:${assignment}`,
      columns: [
        {
          column: 'riskScore',
          direction: 'DESC',
          parse: (raw) => (/^\d{1,3}$/.test(raw) ? Number(raw) : null),
        },
        {
          column: 'referredAt',
          direction: 'ASC',
          parse: (raw) => (Number.isNaN(Date.parse(raw)) ? null : new Date(raw)),
        },
      ],
    });
  }

  /**
   * Assigns a queued review to the calling expert: the one named, or the first of the queue. The
   * assignment is one conditional update, so of two experts picking the same review one gets it
   * and the other an ALREADY_ASSIGNED error (or, picking from the queue, the next review). The
   * pick is an event of the claim: from it on, the expert receives the claim's events.
   */
  async pick(ctx: RequestContext, input: { reviewId: number | null }): Promise<PickResult> {
    const viewer = requireRole(ctx.auth, Role.FRAUD_EXPERT);
    const em = ctx.em.fork();
    const now = this.clock.now();
    if (input.reviewId !== null) {
      const review = await em.findOne(FraudReview, input.reviewId);
      if (!review) return refusedPick(UserErrorCode.NOT_FOUND, 'no such review');
      if (review.status === FraudReviewStatus.IN_REVIEW && review.expertSubject === viewer.subject)
        return { review, userErrors: [] };
      if (review.status !== FraudReviewStatus.QUEUED) {
        return refusedPick(
          UserErrorCode.ALREADY_ASSIGNED,
          review.status === FraudReviewStatus.IN_REVIEW
            ? 'another expert is reviewing this claim'
            : 'this review is closed',
        );
      }
      if (!(await this.assign(ctx, review, viewer, now))) {
        return refusedPick(UserErrorCode.ALREADY_ASSIGNED, 'another expert is reviewing this claim');
      }
      return { review: await em.findOneOrFail(FraudReview, review.id, { refresh: true }), userErrors: [] };
    }
    const candidates = await em.find(
      FraudReview,
      { status: FraudReviewStatus.QUEUED },
      {
        orderBy: { riskScore: 'desc', referredAt: 'asc', id: 'asc' },
        limit: PICK_CANDIDATES,
      },
    );
    for (const candidate of candidates) {
      if (await this.assign(ctx, candidate, viewer, now)) {
        return {
          review: await em.findOneOrFail(FraudReview, candidate.id, { refresh: true }),
          userErrors: [],
        };
      }
    }
    return {
      review: null,
      userErrors: [userError(['input'], UserErrorCode.NOTHING_TO_REVIEW, 'no claim is waiting for review')],
    };
  }

  /** The assigned expert's finding: VALID routes the claim, the others deny it. */
  submit(
    ctx: RequestContext,
    request: { claimId: number; finding: FraudFinding; rationale: string; idempotencyKey?: string | null },
  ): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const rationale = checkText(
      request.rationale,
      ['input', 'rationale'],
      TEXT_LIMITS.claimDescription,
      errors,
    );
    if (request.idempotencyKey != null)
      checkText(request.idempotencyKey, ['input', 'idempotencyKey'], TEXT_LIMITS.idempotencyKey, errors);
    return this.commands.execute(ctx, {
      action: ClaimAction.SUBMIT_FRAUD_FINDING,
      claimId: request.claimId,
      idempotencyKey: request.idempotencyKey,
      request: { claimId: request.claimId, finding: request.finding, rationale: request.rationale },
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        // The action's party: the caller picked this review, which is open while the claim is in review.
        const review = await em.findOneOrFail(FraudReview, { claim });
        review.status = FraudReviewStatus.DECIDED;
        review.finding = request.finding;
        review.rationale = rationale;
        review.decidedAt = now;
        const actor = { role: ActorRole.FRAUD_EXPERT, subject: viewer.subject };
        if (request.finding === FraudFinding.VALID) {
          recordDecision(
            em,
            claim,
            ClaimDecisionKind.FOUND_VALID_BY_EXPERT,
            actor,
            'an independent expert found the claim possibly valid',
            now,
          );
          await this.routing.route(em, claim, now, actor);
        } else {
          const reason = CUSTOMER_REASONS[request.finding];
          applyTransition(em, claim, ClaimTransition.DENY_AFTER_EXPERT_REVIEW, {
            actor,
            context: this.routing.guardContext(now),
          });
          recordDecision(em, claim, ClaimDecisionKind.DENIED_BY_EXPERT, actor, reason, now);
          claim.deniedAt = now;
          claim.denialReason = reason;
        }
        // The expert receives the events written with its finding, and none after.
        review.assignedUntilSequence = claim.lastEventSequence;
      },
    });
  }

  private queueFilter(viewer: Viewer, assignment: FraudReviewAssignment): FilterQuery<FraudReview> {
    const queued = { status: FraudReviewStatus.QUEUED };
    const mine = { status: FraudReviewStatus.IN_REVIEW, expertSubject: viewer.subject };
    switch (assignment) {
      case FraudReviewAssignment.UNASSIGNED:
        return queued;
      case FraudReviewAssignment.MINE:
        return mine;
      case FraudReviewAssignment.ALL:
        return viewer.role === Role.AGENT ? { status: { $in: OPEN } } : { $or: [queued, mine] };
    }
  }

  /**
   * Assigns the review if it is still queued, recording the pick as the claim's next event. The
   * claim is locked first, as every other change to it does, so the pick never deadlocks with one.
   */
  private async assign(
    ctx: RequestContext,
    review: FraudReview,
    viewer: Viewer,
    now: Date,
  ): Promise<boolean> {
    return ctx.em.fork().transactional(async (em) => {
      const claim = await em.findOneOrFail(Claim, review.claim.id, lockedForUpdate(em));
      const taken = await em.nativeUpdate(
        FraudReview,
        { id: review.id, status: FraudReviewStatus.QUEUED },
        {
          status: FraudReviewStatus.IN_REVIEW,
          expertSubject: viewer.subject,
          assignedAt: now,
          assignedFromSequence: claim.lastEventSequence + 1,
        },
      );
      if (taken === 0) return false;
      appendClaimEvent(em, claim, {
        type: ClaimEventType.EXPERT_ASSIGNED,
        at: now,
        actorRole: ActorRole.FRAUD_EXPERT,
        actorSubject: viewer.subject,
        message: 'An independent expert started reviewing the claim.',
      });
      return true;
    });
  }
}

/** Agents see every review; experts the queued ones and those they picked. */
export function canSeeFraudReview(viewer: Viewer, review: FraudReview): boolean {
  if (viewer.role === Role.AGENT) return true;
  if (viewer.role !== Role.FRAUD_EXPERT) return false;
  return review.status === FraudReviewStatus.QUEUED || review.expertSubject === viewer.subject;
}

/** A withdrawn claim leaves the review queue. */
export async function cancelOpenFraudReview(em: EntityManager, claim: Claim): Promise<void> {
  const review = await em.findOne(FraudReview, { claim, status: { $in: OPEN } });
  if (!review) return;
  // An expert that held the review receives the events written up to now, then none.
  if (review.status === FraudReviewStatus.IN_REVIEW) review.assignedUntilSequence = claim.lastEventSequence;
  review.status = FraudReviewStatus.CANCELLED;
}

function refusedPick(code: UserErrorCode, message: string): PickResult {
  return { review: null, userErrors: [userError(['input', 'reviewId'], code, message)] };
}
