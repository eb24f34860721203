import { UserErrorCode } from '../common/user-error';

/**
 * Why a claim action cannot be taken now. `availableActions` shows it, and a command that is
 * refused for it answers the userError code of the same name: the two never disagree.
 */
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
  DEFENCE_AWAITING_DECISION = 'DEFENCE_AWAITING_DECISION',
  NO_OPEN_RECOVERY = 'NO_OPEN_RECOVERY',
}

/** The userError code a command answers when refused for `reason`. */
export const BLOCKED_REASON_CODE: Record<ActionBlockedReason, UserErrorCode> = {
  [ActionBlockedReason.WRONG_STATUS]: UserErrorCode.WRONG_STATUS,
  [ActionBlockedReason.NOT_A_PARTY]: UserErrorCode.NOT_A_PARTY,
  [ActionBlockedReason.DEADLINE_PASSED]: UserErrorCode.DEADLINE_PASSED,
  [ActionBlockedReason.DEADLINE_NOT_REACHED]: UserErrorCode.DEADLINE_NOT_REACHED,
  [ActionBlockedReason.APPEAL_WINDOW_CLOSED]: UserErrorCode.APPEAL_WINDOW_CLOSED,
  [ActionBlockedReason.APPEAL_ALREADY_USED]: UserErrorCode.APPEAL_ALREADY_USED,
  [ActionBlockedReason.NOT_THE_PAYER]: UserErrorCode.NOT_THE_PAYER,
  [ActionBlockedReason.INSURANCE_PROOF_MISSING]: UserErrorCode.INSURANCE_PROOF_MISSING,
  [ActionBlockedReason.NOTHING_TO_DECIDE]: UserErrorCode.NOTHING_TO_DECIDE,
  [ActionBlockedReason.DEFENCE_AWAITING_DECISION]: UserErrorCode.DEFENCE_AWAITING_DECISION,
  [ActionBlockedReason.NO_OPEN_RECOVERY]: UserErrorCode.NO_OPEN_RECOVERY,
};

/** The refusal's message, in words the caller can act on. */
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
    case ActionBlockedReason.DEFENCE_AWAITING_DECISION:
      return 'a defence of this claim already awaits a decision';
    case ActionBlockedReason.NO_OPEN_RECOVERY:
      return 'the claim has no open recovery';
  }
}
