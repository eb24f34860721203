import type { EntityManager } from '@mikro-orm/core';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { appendClaimEvent } from './claim-timeline';
import type { EventText } from './claim-visibility';
import { ActionBlockedReason, BLOCKED_REASON_CODE, describeBlock } from './action-blocked-reason';
import { Refusal } from '../common/refusal';
import { UserErrorCode, userError } from '../common/user-error';

/**
 * Every claim status change, in one place. A transition names the statuses it leaves from, the
 * status it reaches and the condition it needs; `applyTransition` is the only code that sets a
 * claim's status, and it appends the timeline event in the same unit of work. Who may cause a
 * transition is the claim action table's to say (claim-actions.ts); the transitions no action
 * names are the marketplace's own (screening, deadlines, payments it makes).
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

export interface GuardContext {
  now: Date;
  appealWindowDays: number;
}

interface TransitionRule {
  from: readonly ClaimStatus[];
  to: ClaimStatus;
  guard?: (claim: Claim, context: GuardContext) => ActionBlockedReason | null;
  /** The guard in words, for docs/authorization.md. */
  requires?: string;
  /** The timeline's words: one text for everyone, or a text per audience. */
  message: string | EventText;
}

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

export function appealDeadlineOf(claim: Pick<Claim, 'deniedAt'>, appealWindowDays: number): Date | null {
  return claim.deniedAt ? new Date(claim.deniedAt.getTime() + appealWindowDays * DAY) : null;
}

export const TRANSITIONS: Record<ClaimTransition, TransitionRule> = {
  [ClaimTransition.START_SCREENING]: {
    from: [ClaimStatus.SUBMITTED],
    to: ClaimStatus.SCREENING,
    message: 'Screening started.',
  },
  [ClaimTransition.REFER_TO_EXPERT]: {
    from: [ClaimStatus.SCREENING],
    to: ClaimStatus.EXPERT_REVIEW,
    message: 'The claim needs an additional review by an independent expert before it goes further.',
  },
  [ClaimTransition.DENY_IN_SCREENING]: {
    from: [ClaimStatus.SCREENING],
    to: ClaimStatus.DENIED,
    message: 'The claim was denied in screening. The customer may appeal with new evidence.',
  },
  [ClaimTransition.DENY_AFTER_EXPERT_REVIEW]: {
    from: [ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.DENIED,
    message:
      'An independent expert reviewed the claim; it is denied. The customer may appeal with new evidence.',
  },
  [ClaimTransition.APPROVE_CONCESSION]: {
    from: [ClaimStatus.SCREENING, ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.APPROVED_CONCESSION,
    message: {
      marketplace: 'The claim passed screening; the marketplace pays it directly as a concession.',
      sellerSide: 'The marketplace pays the claim directly as a concession.',
    },
  },
  [ClaimTransition.REQUEST_SELLER_RESPONSE]: {
    from: [ClaimStatus.SCREENING, ClaimStatus.EXPERT_REVIEW],
    to: ClaimStatus.AWAITING_SELLER,
    message: {
      marketplace: 'The claim passed screening; the seller and its insurer were asked to respond.',
      sellerSide: 'The seller and its insurer were asked to respond to the claim.',
    },
  },
  [ClaimTransition.ACCEPT]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.SELLER_ACCEPTED,
    guard: beforeDeadline,
    requires: 'the response deadline has not passed (DEADLINE_PASSED)',
    message: 'The claim was accepted.',
  },
  [ClaimTransition.REJECT]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.SELLER_REJECTED,
    guard: beforeDeadline,
    requires: 'the response deadline has not passed (DEADLINE_PASSED)',
    message: 'The claim was rejected.',
  },
  [ClaimTransition.ESCALATE_REJECTION]: {
    from: [ClaimStatus.SELLER_REJECTED],
    to: ClaimStatus.MARKETPLACE_REVIEW,
    message: 'The marketplace reviews the rejection.',
  },
  [ClaimTransition.STEP_IN_AFTER_SILENCE]: {
    from: [ClaimStatus.AWAITING_SELLER],
    to: ClaimStatus.STEPPED_IN,
    guard: (claim, { now }) =>
      claim.respondBy && now.getTime() >= claim.respondBy.getTime()
        ? null
        : ActionBlockedReason.DEADLINE_NOT_REACHED,
    message: 'No response by the deadline: the marketplace stepped in.',
  },
  [ClaimTransition.STEP_IN]: {
    from: [ClaimStatus.MARKETPLACE_REVIEW],
    to: ClaimStatus.STEPPED_IN,
    message: 'The marketplace stepped in.',
  },
  [ClaimTransition.UPHOLD_REJECTION]: {
    from: [ClaimStatus.MARKETPLACE_REVIEW],
    to: ClaimStatus.DENIED,
    message: 'The marketplace agreed with the rejection; the claim is denied.',
  },
  [ClaimTransition.APPEAL]: {
    from: [ClaimStatus.DENIED],
    to: ClaimStatus.MARKETPLACE_REVIEW,
    requires:
      'no earlier appeal (APPEAL_ALREADY_USED), within the appeal window after the denial (APPEAL_WINDOW_CLOSED)',
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
    message: 'The customer withdrew the claim.',
  },
  [ClaimTransition.MARK_PAID]: {
    from: [ClaimStatus.APPROVED_CONCESSION, ClaimStatus.STEPPED_IN, ClaimStatus.SELLER_ACCEPTED],
    to: ClaimStatus.PAID,
    message: 'The customer was paid.',
  },
  [ClaimTransition.CLOSE]: {
    from: [ClaimStatus.PAID],
    to: ClaimStatus.CLOSED,
    message: 'Nothing is outstanding: the claim is closed.',
  },
};

/** Why the transition's guard does not let the claim move now, or null when it does. */
export function transitionBlock(
  claim: Claim,
  transition: ClaimTransition,
  context: GuardContext,
): ActionBlockedReason | null {
  return TRANSITIONS[transition].guard?.(claim, context) ?? null;
}

export interface TransitionRequest {
  /** Who caused the change, as the timeline records it. */
  actor: { role: ActorRole; subject?: string | null };
  context: GuardContext;
  /** Replaces the rule's default timeline message. */
  message?: string | EventText;
}

/**
 * Moves the claim and stages its STATUS_CHANGED event, or throws a Refusal: WRONG_STATUS when the
 * claim is not in a from-status of the transition, or the guard's reason. The claim's version
 * column turns a concurrent change into a conflict at flush.
 */
export function applyTransition(
  em: EntityManager,
  claim: Claim,
  transition: ClaimTransition,
  request: TransitionRequest,
): void {
  const rule = TRANSITIONS[transition];
  if (!rule.from.includes(claim.status)) {
    throw new Refusal([
      userError(
        ['input', 'claimId'],
        UserErrorCode.WRONG_STATUS,
        `cannot move the claim from ${claim.status} to ${rule.to}`,
      ),
    ]);
  }
  const reason = transitionBlock(claim, transition, request.context);
  if (reason) {
    throw new Refusal([userError(['input', 'claimId'], BLOCKED_REASON_CODE[reason], describeBlock(reason))]);
  }
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
