import type { EntityManager } from '@mikro-orm/core';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { appendClaimEvent } from './claim-timeline';
import { Refusal } from '../common/refusal';
import { UserErrorCode, userError } from '../common/user-error';

/**
 * Every claim status change, in one place. A transition names who may take it, from which
 * statuses, and the condition it needs; `applyTransition` is the only code that sets a claim's
 * status, and it appends the timeline event in the same unit of work.
 */
export enum ClaimTransition {
  START_SCREENING = 'START_SCREENING',
  REFER_TO_EXPERT = 'REFER_TO_EXPERT',
  DENY_IN_SCREENING = 'DENY_IN_SCREENING',
  DENY_AFTER_EXPERT_REVIEW = 'DENY_AFTER_EXPERT_REVIEW',
  APPROVE_CONCESSION = 'APPROVE_CONCESSION',
  REQUEST_SELLER_RESPONSE = 'REQUEST_SELLER_RESPONSE',
  ACCEPT = 'ACCEPT',
  REJECT = 'REJECT',
  ESCALATE_REJECTION = 'ESCALATE_REJECTION',
  STEP_IN_AFTER_SILENCE = 'STEP_IN_AFTER_SILENCE',
  STEP_IN = 'STEP_IN',
  UPHOLD_REJECTION = 'UPHOLD_REJECTION',
  APPEAL = 'APPEAL',
  WITHDRAW = 'WITHDRAW',
  MARK_PAID = 'MARK_PAID',
  CLOSE = 'CLOSE',
}

/** Why an action cannot be taken now; shown in `availableActions` and as userError codes. */
export enum ActionBlockedReason {
  WRONG_STATUS = 'WRONG_STATUS',
  NOT_A_PARTY = 'NOT_A_PARTY',
  DEADLINE_PASSED = 'DEADLINE_PASSED',
  DEADLINE_NOT_REACHED = 'DEADLINE_NOT_REACHED',
  APPEAL_WINDOW_CLOSED = 'APPEAL_WINDOW_CLOSED',
  APPEAL_ALREADY_USED = 'APPEAL_ALREADY_USED',
  NOT_THE_PAYER = 'NOT_THE_PAYER',
  INSURANCE_PROOF_MISSING = 'INSURANCE_PROOF_MISSING',
  NOTHING_TO_DECIDE = 'NOTHING_TO_DECIDE',
}

export interface GuardContext {
  now: Date;
  appealWindowDays: number;
}

interface TransitionRule {
  from: readonly ClaimStatus[];
  to: ClaimStatus;
  actors: readonly ActorRole[];
  guard?: (claim: Claim, context: GuardContext) => ActionBlockedReason | null;
  message: string;
}

const { SYSTEM, AGENT, CUSTOMER, SELLER, INSURER, FRAUD_EXPERT } = ActorRole;
/** Withdrawable: before any payment was promised or made (an accepted claim is being paid). */
const BEFORE_PAYMENT: readonly ClaimStatus[] = [
  ClaimStatus.SUBMITTED,
  ClaimStatus.SCREENING,
  ClaimStatus.EXPERT_REVIEW,
  ClaimStatus.AWAITING_SELLER,
  ClaimStatus.SELLER_REJECTED,
  ClaimStatus.MARKETPLACE_REVIEW,
];
const DAY = 24 * 60 * 60 * 1000;

const beforeDeadline = (claim: Claim, { now }: GuardContext) =>
  claim.respondBy && now.getTime() > claim.respondBy.getTime() ? ActionBlockedReason.DEADLINE_PASSED : null;

export function appealDeadlineOf(claim: Claim, appealWindowDays: number): Date | null {
  return claim.deniedAt ? new Date(claim.deniedAt.getTime() + appealWindowDays * DAY) : null;
}

export const TRANSITIONS: Record<ClaimTransition, TransitionRule> = {
  [ClaimTransition.START_SCREENING]: {
    from: [ClaimStatus.SUBMITTED],
    to: ClaimStatus.SCREENING,
    actors: [SYSTEM],
    message: 'Screening started.',
  },
  [ClaimTransition.REFER_TO_EXPERT]: {
    from: [ClaimStatus.SCREENING],
    to: ClaimStatus.EXPERT_REVIEW,
    actors: [SYSTEM],
    message: 'The claim needs an additional review by an independent expert before it goes further.',
  },
  [ClaimTransition.DENY_IN_SCREENING]: {
    from: [ClaimStatus.SCREENING],
    to: ClaimStatus.DENIED,
    actors: [SYSTEM],
    message: 'The claim was denied in screening. The customer may appeal with new evidence.',
  },
  [ClaimTransition.DENY_AFTER_EXPERT_REVIEW]: {
    from: [ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.DENIED,
    actors: [FRAUD_EXPERT],
    message:
      'An independent expert reviewed the claim; it is denied. The customer may appeal with new evidence.',
  },
  [ClaimTransition.APPROVE_CONCESSION]: {
    from: [ClaimStatus.SCREENING, ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.APPROVED_CONCESSION,
    actors: [SYSTEM, FRAUD_EXPERT],
    message: 'The claim passed screening; the marketplace pays it directly as a concession.',
  },
  [ClaimTransition.REQUEST_SELLER_RESPONSE]: {
    from: [ClaimStatus.SCREENING, ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.AWAITING_SELLER,
    actors: [SYSTEM, FRAUD_EXPERT],
    message: 'The claim passed screening; the seller and its insurer were asked to respond.',
  },
  [ClaimTransition.ACCEPT]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.SELLER_ACCEPTED,
    actors: [SELLER, INSURER],
    guard: beforeDeadline,
    message: 'The claim was accepted.',
  },
  [ClaimTransition.REJECT]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.SELLER_REJECTED,
    actors: [SELLER, INSURER],
    guard: beforeDeadline,
    message: 'The claim was rejected.',
  },
  [ClaimTransition.ESCALATE_REJECTION]: {
    from: [ClaimStatus.SELLER_REJECTED],
    to: ClaimStatus.MARKETPLACE_REVIEW,
    actors: [SYSTEM],
    message: 'The marketplace reviews the rejection.',
  },
  [ClaimTransition.STEP_IN_AFTER_SILENCE]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.STEPPED_IN,
    actors: [SYSTEM],
    guard: (claim, { now }) =>
      claim.respondBy && now.getTime() >= claim.respondBy.getTime()
        ? null
        : ActionBlockedReason.DEADLINE_NOT_REACHED,
    message: 'No response by the deadline: the marketplace stepped in.',
  },
  [ClaimTransition.STEP_IN]: {
    from: [ClaimStatus.MARKETPLACE_REVIEW],
    to: ClaimStatus.STEPPED_IN,
    actors: [AGENT],
    message: 'The marketplace stepped in.',
  },
  [ClaimTransition.UPHOLD_REJECTION]: {
    from: [ClaimStatus.MARKETPLACE_REVIEW],
    to: ClaimStatus.DENIED,
    actors: [AGENT],
    message: 'The marketplace agreed with the rejection; the claim is denied.',
  },
  [ClaimTransition.APPEAL]: {
    from: [ClaimStatus.DENIED],
    to: ClaimStatus.MARKETPLACE_REVIEW,
    actors: [CUSTOMER, AGENT],
    guard: (claim, { now, appealWindowDays }) => {
      if (claim.appealCount > 0) return ActionBlockedReason.APPEAL_ALREADY_USED;
      const deadline = appealDeadlineOf(claim, appealWindowDays);
      return deadline && now.getTime() > deadline.getTime() ? ActionBlockedReason.APPEAL_WINDOW_CLOSED : null;
    },
    message: 'The customer appealed with new evidence; the marketplace reviews the claim again.',
  },
  [ClaimTransition.WITHDRAW]: {
    from: BEFORE_PAYMENT,
    to: ClaimStatus.WITHDRAWN,
    actors: [CUSTOMER, AGENT],
    message: 'The customer withdrew the claim.',
  },
  [ClaimTransition.MARK_PAID]: {
    from: [ClaimStatus.APPROVED_CONCESSION, ClaimStatus.STEPPED_IN, ClaimStatus.SELLER_ACCEPTED],
    to: ClaimStatus.PAID,
    actors: [SYSTEM, AGENT, SELLER, INSURER],
    message: 'The customer was paid.',
  },
  [ClaimTransition.CLOSE]: {
    from: [ClaimStatus.PAID],
    to: ClaimStatus.CLOSED,
    actors: [SYSTEM, AGENT],
    message: 'Nothing is outstanding: the claim is closed.',
  },
};

/** Null when `actor` may take `transition` on `claim` now, otherwise why not. */
export function blockedReason(
  claim: Claim,
  transition: ClaimTransition,
  actor: ActorRole,
  context: GuardContext,
): ActionBlockedReason | null {
  const rule = TRANSITIONS[transition];
  if (!rule.from.includes(claim.status)) return ActionBlockedReason.WRONG_STATUS;
  if (!rule.actors.includes(actor)) return ActionBlockedReason.NOT_A_PARTY;
  return rule.guard?.(claim, context) ?? null;
}

export interface TransitionRequest {
  actor: { role: ActorRole; subject?: string | null };
  context: GuardContext;
  /** Replaces the rule's default timeline message. */
  message?: string;
}

/**
 * Moves the claim and stages its STATUS_CHANGED event, or throws a Refusal (ILLEGAL_TRANSITION
 * naming both statuses, or the guard's reason). The claim's version column turns a concurrent
 * change into a conflict at flush.
 */
export function applyTransition(
  em: EntityManager,
  claim: Claim,
  transition: ClaimTransition,
  request: TransitionRequest,
): void {
  const rule = TRANSITIONS[transition];
  const reason = blockedReason(claim, transition, request.actor.role, request.context);
  if (reason === ActionBlockedReason.WRONG_STATUS || reason === ActionBlockedReason.NOT_A_PARTY) {
    throw new Refusal([
      userError(
        ['input', 'claimId'],
        UserErrorCode.ILLEGAL_TRANSITION,
        `cannot move the claim from ${claim.status} to ${rule.to}`,
      ),
    ]);
  }
  if (reason)
    throw new Refusal([userError(['input', 'claimId'], UserErrorCode[reason], describeBlock(reason))]);
  const from = claim.status;
  claim.status = rule.to;
  appendClaimEvent(em, claim, {
    type: ClaimEventType.STATUS_CHANGED,
    at: request.context.now,
    actorRole: request.actor.role,
    actorSubject: request.actor.subject ?? null,
    fromStatus: from,
    toStatus: rule.to,
    message: request.message ?? rule.message,
  });
}

export function describeBlock(reason: ActionBlockedReason): string {
  switch (reason) {
    case ActionBlockedReason.WRONG_STATUS:
      return "not possible in the claim's current status";
    case ActionBlockedReason.NOT_A_PARTY:
      return 'you are not a party to this step';
    case ActionBlockedReason.DEADLINE_PASSED:
      return 'the response deadline has passed';
    case ActionBlockedReason.DEADLINE_NOT_REACHED:
      return 'the response deadline has not passed yet';
    case ActionBlockedReason.APPEAL_WINDOW_CLOSED:
      return 'the appeal window has closed';
    case ActionBlockedReason.APPEAL_ALREADY_USED:
      return 'the claim was already appealed; this denial is final';
    case ActionBlockedReason.NOT_THE_PAYER:
      return 'only the party that accepted to pay can confirm the payment';
    case ActionBlockedReason.INSURANCE_PROOF_MISSING:
      return 'the seller has no insurer on the incident date';
    case ActionBlockedReason.NOTHING_TO_DECIDE:
      return 'there is nothing to decide';
  }
}
