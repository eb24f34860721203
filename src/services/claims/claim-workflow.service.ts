import { Role } from '../../auth/role';
import { ClaimDecisionKind } from '../../entities/claim-decision.entity';
import { ClaimEvidence } from '../../entities/claim-evidence.entity';
import { ActorRole, actorRoleOf, ClaimEventType } from '../../entities/claim-event-type';
import type { Claim } from '../../entities/claim.entity';
import { PayerParty } from '../../entities/money-party';
import { Payout, PayoutStatus } from '../../entities/payout.entity';
import { DefenceStatus, ProductDefence } from '../../entities/product-defence.entity';
import { Recovery, RecoveryStatus } from '../../entities/recovery.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimCommandRunner } from './claim-command';
import { recordDecision } from './claim-decisions';
import { cancelOpenFraudReview } from '../screening/fraud-review.service';
import { stageEvidence, stageNewEvidence } from './claim-evidence';
import type { ClaimResult } from './claim-result';
import type { ClaimRoutingService } from './claim-routing.service';
import { ActionBlockedReason, BLOCKED_REASON_CODE, describeBlock } from './action-blocked-reason';
import { type AvailableAction, availableActions, ClaimAction } from './claim-actions';
import { claimFactsOf } from './claim-facts';
import { applyTransition, ClaimTransition } from './claim-state-machine';
import { appendClaimEvent } from './claim-timeline';
import { checkEvidence, type EvidenceRequest, MAX_EVIDENCE_PER_CLAIM } from './evidence-input';
import type { PayoutService } from '../money/payout.service';
import { Refusal } from '../common/refusal';
import type { RecoveryService } from '../money/recovery.service';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

export enum SellerResponse {
  ACCEPT = 'ACCEPT',
  REJECT = 'REJECT',
}

export enum ReviewDecision {
  STEP_IN = 'STEP_IN',
  UPHOLD_REJECTION = 'UPHOLD_REJECTION',
}

export enum DefenceDecision {
  UPHOLD = 'UPHOLD',
  REJECT = 'REJECT',
}

export interface AddClaimEvidenceRequest {
  claimId: number;
  evidence: EvidenceRequest[];
}

export interface RespondRequest {
  claimId: number;
  response: SellerResponse;
  /** Who pays on ACCEPT: SELLER or INSURER; defaults to the responder. */
  payer?: PayerParty | null;
  statement?: string | null;
  evidence?: EvidenceRequest[] | null;
}

export interface PaymentRequest {
  claimId: number;
  reference: string;
  idempotencyKey: string;
}

export interface ReviewRequest {
  claimId: number;
  decision: ReviewDecision;
  reason: string;
  idempotencyKey: string;
}

export interface StatementRequest {
  claimId: number;
  statement: string;
  evidence?: EvidenceRequest[] | null;
}

export interface DefenceDecisionRequest {
  claimId: number;
  decision: DefenceDecision;
  reason: string;
}

function refuse(code: UserErrorCode, message: string, field: string[] = ['input', 'claimId']): never {
  throw new Refusal([userError(field, code, message)]);
}

function blocked(reason: ActionBlockedReason): never {
  refuse(BLOCKED_REASON_CODE[reason], describeBlock(reason));
}

/** Checked statement and evidence, or the userErrors that refuse them. */
function checkStatement(
  statement: string | null | undefined,
  evidence: EvidenceRequest[] | null | undefined,
  options: { statementRequired: boolean; evidenceRequired: boolean },
): { statement: string | null; evidence: EvidenceRequest[]; errors: UserError[] } {
  const errors: UserError[] = [];
  const text = checkText(statement, ['input', 'statement'], TEXT_LIMITS.claimDescription, errors, {
    required: options.statementRequired,
  });
  const items = checkEvidence(evidence ?? [], ['input', 'evidence'], errors) ?? [];
  if (options.evidenceRequired && (evidence ?? []).length === 0) {
    errors.push(userError(['input', 'evidence'], UserErrorCode.REQUIRED, 'new evidence is required'));
  }
  return { statement: text, evidence: items, errors };
}

/**
 * What the parties do to a claim after it was routed: the seller's (or insurer's) answer, payment
 * confirmations, the marketplace's review, appeals, withdrawal, product defences and recoveries.
 * Each is one ClaimCommand: checked, run in one transaction, refused as a whole.
 */
export class ClaimWorkflowService {
  constructor(
    private readonly commands: ClaimCommandRunner,
    private readonly routing: ClaimRoutingService,
    private readonly payouts: PayoutService,
    private readonly recoveries: RecoveryService,
  ) {}

  /** What the viewer could do to the claim now, and why not: from the claim action table. */
  async availableActions(ctx: RequestContext, claim: Claim): Promise<AvailableAction[]> {
    const viewer = ctx.auth.viewer;
    if (!viewer) return [];
    const facts = await claimFactsOf(ctx, claim);
    return availableActions(viewer, facts, this.routing.guardContext(ctx.services.clock.now()));
  }

  /**
   * Adds evidence to an open claim. Items already on the claim are a retry and change nothing;
   * other content under a known hash is refused. Two additions at once both land, one after the
   * other.
   */
  addEvidence(ctx: RequestContext, request: AddClaimEvidenceRequest): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const evidence = checkEvidence(request.evidence, ['input', 'evidence'], errors) ?? [];
    if (request.evidence.length === 0) {
      errors.push(
        userError(['input', 'evidence'], UserErrorCode.REQUIRED, 'name at least one evidence item'),
      );
    }
    return this.commands.execute(ctx, {
      action: ClaimAction.ADD_EVIDENCE,
      claimId: request.claimId,
      request,
      validate: () => errors,
      queueBehindOthers: true,
      run: async (em, claim, viewer, now) => {
        const existing = await em.find(ClaimEvidence, { claim });
        const byHash = new Map(existing.map((item) => [item.contentHash, item]));
        const refusals: UserError[] = [];
        const fresh: EvidenceRequest[] = [];
        for (const [index, item] of evidence.entries()) {
          const known = byHash.get(item.contentHash);
          if (!known) fresh.push(item);
          else if (
            known.kind !== item.kind ||
            known.description !== item.description ||
            known.uri !== item.uri
          ) {
            refusals.push(
              userError(
                ['input', 'evidence', String(index), 'contentHash'],
                UserErrorCode.DUPLICATE_EVIDENCE,
                'this content is already on the claim',
              ),
            );
          }
        }
        if (existing.length + fresh.length > MAX_EVIDENCE_PER_CLAIM) {
          refusals.push(
            userError(
              ['input', 'evidence'],
              UserErrorCode.TOO_MANY_ITEMS,
              `a claim holds at most ${MAX_EVIDENCE_PER_CLAIM} evidence items`,
            ),
          );
        }
        if (refusals.length > 0) throw new Refusal(refusals);
        if (fresh.length === 0) return;
        const actorRole = actorRoleOf(viewer.role);
        stageEvidence(em, claim, fresh, actorRole, now);
        appendClaimEvent(em, claim, {
          type: ClaimEventType.EVIDENCE_ADDED,
          at: now,
          actorRole,
          actorSubject: viewer.subject,
          message: `${fresh.length} evidence item${fresh.length === 1 ? '' : 's'} added by ${
            viewer.role === Role.AGENT ? 'a claims agent' : 'the customer'
          }.`,
        });
      },
    });
  }

  respond(ctx: RequestContext, request: RespondRequest): Promise<ClaimResult> {
    const reject = request.response === SellerResponse.REJECT;
    const checked = checkStatement(request.statement, request.evidence, {
      statementRequired: reject,
      evidenceRequired: false,
    });
    return this.commands.execute(ctx, {
      action: reject ? ClaimAction.REJECT : ClaimAction.ACCEPT,
      claimId: request.claimId,
      request,
      validate: () => checked.errors,
      run: async (em, claim, viewer, now) => {
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        const context = this.routing.guardContext(now);
        const byInsurer = viewer.role === Role.INSURER;
        if (reject) {
          applyTransition(em, claim, ClaimTransition.REJECT, {
            actor,
            context,
            message: `The claim was rejected by the ${byInsurer ? "seller's insurer" : 'seller'}.`,
          });
          recordDecision(
            em,
            claim,
            byInsurer ? ClaimDecisionKind.REJECTED_BY_INSURER : ClaimDecisionKind.REJECTED_BY_SELLER,
            actor,
            checked.statement!,
            now,
          );
          await stageNewEvidence(em, claim, checked.evidence, actor.role, now);
          applyTransition(em, claim, ClaimTransition.ESCALATE_REJECTION, {
            actor: { role: ActorRole.SYSTEM },
            context,
          });
          return;
        }
        const payer = request.payer ?? (byInsurer ? PayerParty.INSURER : PayerParty.SELLER);
        if (payer === PayerParty.MARKETPLACE)
          refuse(UserErrorCode.INVALID_FORMAT, 'the payer is the seller or its insurer', ['input', 'payer']);
        if (payer === PayerParty.INSURER && !claim.insurer)
          blocked(ActionBlockedReason.INSURANCE_PROOF_MISSING);
        applyTransition(em, claim, ClaimTransition.ACCEPT, {
          actor,
          context,
          message: `The claim was accepted by the ${byInsurer ? "seller's insurer" : 'seller'}; the ${payer === PayerParty.INSURER ? 'insurer' : 'seller'} pays.`,
        });
        const decision = recordDecision(
          em,
          claim,
          byInsurer ? ClaimDecisionKind.ACCEPTED_BY_INSURER : ClaimDecisionKind.ACCEPTED_BY_SELLER,
          actor,
          checked.statement ?? 'accepted',
          now,
        );
        await stageNewEvidence(em, claim, checked.evidence, actor.role, now);
        claim.acceptedPayer = payer;
        this.payouts.promiseByThirdParty(em, claim, decision, payer, now);
      },
    });
  }

  recordPayment(ctx: RequestContext, request: PaymentRequest): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const reference = checkText(request.reference, ['input', 'reference'], 200, errors);
    checkText(request.idempotencyKey, ['input', 'idempotencyKey'], TEXT_LIMITS.idempotencyKey, errors);
    return this.commands.execute(ctx, {
      action: ClaimAction.RECORD_PAYMENT,
      claimId: request.claimId,
      idempotencyKey: request.idempotencyKey,
      request: { claimId: request.claimId, reference: request.reference },
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        const payout = await em.findOneOrFail(Payout, { claim, status: PayoutStatus.PENDING });
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        this.payouts.confirmThirdParty(em, claim, payout, reference!, actor.role, now);
        applyTransition(em, claim, ClaimTransition.MARK_PAID, {
          actor,
          context: this.routing.guardContext(now),
        });
        this.routing.closeIfSettled(em, claim, null, now);
      },
    });
  }

  review(ctx: RequestContext, request: ReviewRequest): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const reason = checkText(request.reason, ['input', 'reason'], TEXT_LIMITS.claimDescription, errors);
    checkText(request.idempotencyKey, ['input', 'idempotencyKey'], TEXT_LIMITS.idempotencyKey, errors);
    return this.commands.execute(ctx, {
      action:
        request.decision === ReviewDecision.STEP_IN ? ClaimAction.STEP_IN : ClaimAction.UPHOLD_REJECTION,
      claimId: request.claimId,
      idempotencyKey: request.idempotencyKey,
      request: { claimId: request.claimId, decision: request.decision, reason: request.reason },
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        const context = this.routing.guardContext(now);
        if (request.decision === ReviewDecision.STEP_IN) {
          const released = await this.routing.releaseBeforeSteppingIn(em, claim, now);
          applyTransition(em, claim, ClaimTransition.STEP_IN, { actor, context });
          const decision = recordDecision(
            em,
            claim,
            ClaimDecisionKind.STEPPED_IN_AFTER_REVIEW,
            actor,
            reason!,
            now,
          );
          await this.routing.payAndPursue(em, claim, decision, actor, now, reason!);
          if (released) this.routing.tellSellerOfStepIn(em, claim, now);
          return;
        }
        const final = claim.appealCount > 0;
        applyTransition(em, claim, ClaimTransition.UPHOLD_REJECTION, {
          actor,
          context,
          message: final
            ? 'The marketplace denied the claim again after the appeal; this denial is final.'
            : 'The marketplace agreed with the rejection; the claim is denied. The customer may appeal with new evidence.',
        });
        recordDecision(em, claim, ClaimDecisionKind.REJECTION_UPHELD, actor, reason!, now);
        claim.deniedAt = now;
        claim.denialReason = reason;
      },
    });
  }

  withdraw(ctx: RequestContext, request: { claimId: number; reason?: string | null }): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const reason = checkText(request.reason, ['input', 'reason'], TEXT_LIMITS.claimDescription, errors, {
      required: false,
    });
    return this.commands.execute(ctx, {
      action: ClaimAction.WITHDRAW,
      claimId: request.claimId,
      request,
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        applyTransition(em, claim, ClaimTransition.WITHDRAW, {
          actor,
          context: this.routing.guardContext(now),
        });
        await cancelOpenFraudReview(em, claim);
        recordDecision(
          em,
          claim,
          ClaimDecisionKind.WITHDRAWN,
          actor,
          reason ?? 'withdrawn by the customer',
          now,
        );
      },
    });
  }

  appeal(ctx: RequestContext, request: StatementRequest): Promise<ClaimResult> {
    const checked = checkStatement(request.statement, request.evidence, {
      statementRequired: true,
      evidenceRequired: true,
    });
    return this.commands.execute(ctx, {
      action: ClaimAction.APPEAL,
      claimId: request.claimId,
      request,
      validate: () => checked.errors,
      run: async (em, claim, viewer, now) => {
        const known = new Set((await em.find(ClaimEvidence, { claim })).map((item) => item.contentHash));
        const repeated = checked.evidence.findIndex((item) => known.has(item.contentHash));
        if (repeated >= 0) {
          refuse(
            UserErrorCode.DUPLICATE_EVIDENCE,
            'an appeal needs new evidence; this item is already on the claim',
            ['input', 'evidence', String(repeated), 'contentHash'],
          );
        }
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        applyTransition(em, claim, ClaimTransition.APPEAL, {
          actor,
          context: this.routing.guardContext(now),
        });
        claim.appealCount += 1;
        // The denial is under review again; the decision history keeps its reason.
        claim.denialReason = null;
        recordDecision(em, claim, ClaimDecisionKind.APPEALED, actor, checked.statement!, now);
        await stageNewEvidence(em, claim, checked.evidence, actor.role, now);
      },
    });
  }

  submitDefence(ctx: RequestContext, request: StatementRequest): Promise<ClaimResult> {
    const checked = checkStatement(request.statement, request.evidence, {
      statementRequired: true,
      evidenceRequired: false,
    });
    return this.commands.execute(ctx, {
      action: ClaimAction.SUBMIT_DEFENCE,
      claimId: request.claimId,
      request,
      validate: () => checked.errors,
      run: async (em, claim, viewer, now) => {
        const actorRole = actorRoleOf(viewer.role);
        em.create(ProductDefence, {
          claim,
          submittedByRole: actorRole,
          statement: checked.statement!,
          status: DefenceStatus.SUBMITTED,
          submittedAt: now,
        });
        await stageNewEvidence(em, claim, checked.evidence, actorRole, now);
        appendClaimEvent(em, claim, {
          type: ClaimEventType.DEFENCE_SUBMITTED,
          at: now,
          actorRole,
          actorSubject: viewer.subject,
          message: `The ${viewer.role === Role.INSURER ? "seller's insurer" : 'seller'} submitted evidence that the product was not defective. The customer keeps what was paid.`,
        });
      },
    });
  }

  decideDefence(ctx: RequestContext, request: DefenceDecisionRequest): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const reason = checkText(request.reason, ['input', 'reason'], TEXT_LIMITS.claimDescription, errors);
    return this.commands.execute(ctx, {
      action: ClaimAction.DECIDE_DEFENCE,
      claimId: request.claimId,
      request,
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        // The action's precondition: a defence awaits a decision.
        const defence = await em.findOneOrFail(ProductDefence, { claim, status: DefenceStatus.SUBMITTED });
        const actor = { role: actorRoleOf(viewer.role), subject: viewer.subject };
        const upheld = request.decision === DefenceDecision.UPHOLD;
        defence.status = upheld ? DefenceStatus.UPHELD : DefenceStatus.REJECTED;
        defence.decisionReason = reason;
        defence.decidedAt = now;
        recordDecision(
          em,
          claim,
          upheld ? ClaimDecisionKind.DEFENCE_UPHELD : ClaimDecisionKind.DEFENCE_REJECTED,
          actor,
          reason!,
          now,
        );
        appendClaimEvent(em, claim, {
          type: ClaimEventType.DEFENCE_DECIDED,
          at: now,
          actorRole: actor.role,
          actorSubject: viewer.subject,
          message: upheld
            ? 'The marketplace upheld the defence of the product; the customer keeps what was paid.'
            : 'The marketplace rejected the defence of the product.',
        });
        const recovery = await em.findOne(Recovery, { claim });
        if (
          upheld &&
          recovery &&
          [RecoveryStatus.AWAITING_PROOF, RecoveryStatus.OPEN].includes(recovery.status)
        ) {
          await this.recoveries.cancel(
            em,
            claim,
            recovery,
            now,
            actor.role,
            'The defence was upheld: the recovery is dropped.',
          );
        }
        this.routing.closeIfSettled(em, claim, recovery, now);
      },
    });
  }

  recordRecoveryPayment(ctx: RequestContext, request: PaymentRequest): Promise<ClaimResult> {
    const errors: UserError[] = [];
    const reference = checkText(request.reference, ['input', 'reference'], 200, errors);
    checkText(request.idempotencyKey, ['input', 'idempotencyKey'], TEXT_LIMITS.idempotencyKey, errors);
    return this.commands.execute(ctx, {
      action: ClaimAction.RECORD_RECOVERY_PAYMENT,
      claimId: request.claimId,
      idempotencyKey: request.idempotencyKey,
      request: { claimId: request.claimId, reference: request.reference },
      validate: () => errors,
      run: async (em, claim, viewer, now) => {
        // The action's precondition: a recovery is open.
        const recovery = await em.findOneOrFail(Recovery, { claim, status: RecoveryStatus.OPEN });
        await this.recoveries.collect(em, claim, recovery, now, actorRoleOf(viewer.role), reference!);
        this.routing.closeIfSettled(em, claim, recovery, now);
      },
    });
  }
}
