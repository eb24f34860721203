import { Role } from '../../auth/role';
import { actorRoleOf } from '../../entities/claim-event-type';
import { SETTLED_CLAIM_STATUSES, ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { PayerParty } from '../../entities/money-party';
import { PayoutStatus } from '../../entities/payout.entity';
import { DefenceStatus } from '../../entities/product-defence.entity';
import { RecoveryStatus } from '../../entities/recovery.entity';
import type { RequestContext } from '../../server/request-context';
import {
  ActionBlockedReason,
  blockedReason,
  ClaimTransition,
  type GuardContext,
} from './claim-state-machine';

/** Everything a party can do to a claim through the API. */
export enum ClaimAction {
  ADD_EVIDENCE = 'ADD_EVIDENCE',
  WITHDRAW = 'WITHDRAW',
  APPEAL = 'APPEAL',
  ACCEPT = 'ACCEPT',
  REJECT = 'REJECT',
  RECORD_PAYMENT = 'RECORD_PAYMENT',
  STEP_IN = 'STEP_IN',
  UPHOLD_REJECTION = 'UPHOLD_REJECTION',
  SUBMIT_DEFENCE = 'SUBMIT_DEFENCE',
  DECIDE_DEFENCE = 'DECIDE_DEFENCE',
  RECORD_RECOVERY_PAYMENT = 'RECORD_RECOVERY_PAYMENT',
}

export interface AvailableAction {
  action: ClaimAction;
  enabled: boolean;
  /** Why not, when disabled. */
  reason: ActionBlockedReason | null;
}

const ROLE_ACTIONS: Record<Role, ClaimAction[]> = {
  [Role.CUSTOMER]: [ClaimAction.ADD_EVIDENCE, ClaimAction.WITHDRAW, ClaimAction.APPEAL],
  [Role.SELLER]: [
    ClaimAction.ACCEPT,
    ClaimAction.REJECT,
    ClaimAction.RECORD_PAYMENT,
    ClaimAction.SUBMIT_DEFENCE,
  ],
  [Role.INSURER]: [
    ClaimAction.ACCEPT,
    ClaimAction.REJECT,
    ClaimAction.RECORD_PAYMENT,
    ClaimAction.SUBMIT_DEFENCE,
  ],
  [Role.AGENT]: [
    ClaimAction.ADD_EVIDENCE,
    ClaimAction.WITHDRAW,
    ClaimAction.APPEAL,
    ClaimAction.RECORD_PAYMENT,
    ClaimAction.STEP_IN,
    ClaimAction.UPHOLD_REJECTION,
    ClaimAction.DECIDE_DEFENCE,
    ClaimAction.RECORD_RECOVERY_PAYMENT,
  ],
  [Role.FRAUD_EXPERT]: [],
};

const TRANSITION_OF: Partial<Record<ClaimAction, ClaimTransition>> = {
  [ClaimAction.WITHDRAW]: ClaimTransition.WITHDRAW,
  [ClaimAction.APPEAL]: ClaimTransition.APPEAL,
  [ClaimAction.ACCEPT]: ClaimTransition.ACCEPT,
  [ClaimAction.REJECT]: ClaimTransition.REJECT,
  [ClaimAction.STEP_IN]: ClaimTransition.STEP_IN,
  [ClaimAction.UPHOLD_REJECTION]: ClaimTransition.UPHOLD_REJECTION,
};

/**
 * Every action the caller's role could take on the claim, enabled or not, with the reason when
 * not. It answers from the same state machine the commands enforce.
 */
export async function availableActionsFor(
  ctx: RequestContext,
  claim: Claim,
  context: GuardContext,
): Promise<AvailableAction[]> {
  const viewer = ctx.auth.viewer;
  if (!viewer) return [];
  const actor = actorRoleOf(viewer.role);
  const [payouts, recoveries, defences, insurer] = await Promise.all([
    ctx.loaders.claimPayouts.load(claim.id),
    ctx.loaders.claimRecoveries.load(claim.id),
    ctx.loaders.claimDefences.load(claim.id),
    claim.insurer ? ctx.loaders.insurer.load(claim.insurer.id) : Promise.resolve(null),
  ]);
  const isClaimInsurer = viewer.role !== Role.INSURER || insurer?.externalRef === viewer.subject;

  const reasonFor = (action: ClaimAction): ActionBlockedReason | null => {
    const transition = TRANSITION_OF[action];
    if (transition) {
      const reason = blockedReason(claim, transition, actor, context);
      if (reason) return reason;
      return [ClaimAction.ACCEPT, ClaimAction.REJECT].includes(action) && !isClaimInsurer
        ? ActionBlockedReason.NOT_A_PARTY
        : null;
    }
    switch (action) {
      case ClaimAction.ADD_EVIDENCE:
        return SETTLED_CLAIM_STATUSES.includes(claim.status) ? ActionBlockedReason.WRONG_STATUS : null;
      case ClaimAction.RECORD_PAYMENT: {
        const pending = payouts.find((payout) => payout.status === PayoutStatus.PENDING);
        if (claim.status !== ClaimStatus.SELLER_ACCEPTED || !pending) return ActionBlockedReason.WRONG_STATUS;
        if (viewer.role === Role.AGENT) return null;
        const payerRole = pending.payer === PayerParty.INSURER ? Role.INSURER : Role.SELLER;
        return viewer.role === payerRole && isClaimInsurer ? null : ActionBlockedReason.NOT_THE_PAYER;
      }
      case ClaimAction.SUBMIT_DEFENCE:
        if (!payouts.some((payout) => payout.payer === PayerParty.MARKETPLACE))
          return ActionBlockedReason.WRONG_STATUS;
        if (!isClaimInsurer) return ActionBlockedReason.NOT_A_PARTY;
        return defences.some((defence) => defence.status === DefenceStatus.SUBMITTED)
          ? ActionBlockedReason.WRONG_STATUS
          : null;
      case ClaimAction.DECIDE_DEFENCE:
        return defences.some((defence) => defence.status === DefenceStatus.SUBMITTED)
          ? null
          : ActionBlockedReason.NOTHING_TO_DECIDE;
      case ClaimAction.RECORD_RECOVERY_PAYMENT:
        return recoveries.some((recovery) => recovery.status === RecoveryStatus.OPEN)
          ? null
          : ActionBlockedReason.NOTHING_TO_DECIDE;
      default:
        return ActionBlockedReason.WRONG_STATUS;
    }
  };
  return ROLE_ACTIONS[viewer.role].map((action) => {
    const reason = reasonFor(action);
    return { action, enabled: reason === null, reason };
  });
}
