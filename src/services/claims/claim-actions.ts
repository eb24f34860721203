import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { ClaimStatus, SETTLED_CLAIM_STATUSES } from '../../entities/claim-status';
import { PayerParty } from '../../entities/money-party';
import { ActionBlockedReason } from './action-blocked-reason';
import type { ClaimFacts } from './claim-facts';
import { ClaimTransition, type GuardContext, transitionBlock, TRANSITIONS } from './claim-state-machine';

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
  SUBMIT_FRAUD_FINDING = 'SUBMIT_FRAUD_FINDING',
}

/** Who on the claim may take an action, beyond holding one of its roles. */
export enum ActingParty {
  /** The customer who filed the claim; agents act on its behalf. */
  CLAIMANT = 'CLAIMANT',
  /** The claim's seller, or the seller's insurer on the incident day; agents act for them where the action's roles include AGENT. */
  SELLER_SIDE = 'SELLER_SIDE',
  /** The fraud expert who picked the claim's review. */
  ASSIGNED_EXPERT = 'ASSIGNED_EXPERT',
  /** The marketplace's own claims staff. */
  MARKETPLACE = 'MARKETPLACE',
}

export interface ClaimActionRule {
  /** The mutation that takes the action. */
  mutation: string;
  /** The roles that may take it; every other role is FORBIDDEN. */
  roles: readonly Role[];
  party: ActingParty;
  /** The status change it makes, if any: the claim must be in one of its from-statuses and pass its guard. */
  transition?: ClaimTransition;
  /** The statuses it may be taken in, where they are not (only) the transition's from-statuses. */
  statuses?: readonly ClaimStatus[];
  /** What else must hold, checked last: the reason when it does not. */
  precondition?: (facts: ClaimFacts, viewer: Viewer) => ActionBlockedReason | null;
  /** The precondition in words, for docs/authorization.md. */
  requires?: string;
  /** What the action does, for docs/authorization.md. */
  summary: string;
}

const { CUSTOMER, SELLER, INSURER, AGENT, FRAUD_EXPERT } = Role;
const OPEN_STATUSES = Object.values(ClaimStatus).filter((status) => !SETTLED_CLAIM_STATUSES.includes(status));

/**
 * Every claim action, once: who may take it, as which party, from which statuses, and what else
 * must hold. Commands refuse by it, `availableActions` answers from it, resolvers authorise by its
 * roles and docs/authorization.md shows it; nothing restates it.
 */
export const CLAIM_ACTIONS: Record<ClaimAction, ClaimActionRule> = {
  [ClaimAction.ADD_EVIDENCE]: {
    mutation: 'addClaimEvidence',
    roles: [CUSTOMER, AGENT],
    party: ActingParty.CLAIMANT,
    statuses: OPEN_STATUSES,
    summary: 'Adds evidence to a claim that is not settled.',
  },
  [ClaimAction.WITHDRAW]: {
    mutation: 'withdrawClaim',
    roles: [CUSTOMER, AGENT],
    party: ActingParty.CLAIMANT,
    transition: ClaimTransition.WITHDRAW,
    summary: 'Withdraws a claim before any payment was promised or made.',
  },
  [ClaimAction.APPEAL]: {
    mutation: 'appealClaim',
    roles: [CUSTOMER, AGENT],
    party: ActingParty.CLAIMANT,
    transition: ClaimTransition.APPEAL,
    summary: 'Appeals a denial with new evidence, once, within the appeal window.',
  },
  [ClaimAction.ACCEPT]: {
    mutation: 'respondToClaim',
    roles: [SELLER, INSURER],
    party: ActingParty.SELLER_SIDE,
    transition: ClaimTransition.ACCEPT,
    summary: 'Accepts the claim before the deadline, naming who pays.',
  },
  [ClaimAction.REJECT]: {
    mutation: 'respondToClaim',
    roles: [SELLER, INSURER],
    party: ActingParty.SELLER_SIDE,
    transition: ClaimTransition.REJECT,
    summary: 'Rejects the claim before the deadline; the marketplace reviews the rejection.',
  },
  [ClaimAction.RECORD_PAYMENT]: {
    mutation: 'recordClaimPayment',
    roles: [SELLER, INSURER, AGENT],
    party: ActingParty.SELLER_SIDE,
    statuses: [ClaimStatus.SELLER_ACCEPTED],
    precondition: (facts, viewer) => {
      if (viewer.role === AGENT) return null;
      const payer = facts.claim.acceptedPayer === PayerParty.INSURER ? INSURER : SELLER;
      return viewer.role === payer ? null : ActionBlockedReason.NOT_THE_PAYER;
    },
    requires: 'the seller or insurer confirming is the one that accepted to pay (NOT_THE_PAYER)',
    summary: 'Confirms that the party that accepted to pay paid the customer.',
  },
  [ClaimAction.STEP_IN]: {
    mutation: 'reviewClaim',
    roles: [AGENT],
    party: ActingParty.MARKETPLACE,
    transition: ClaimTransition.STEP_IN,
    summary: 'After a rejection or an appeal: the marketplace pays and pursues the seller.',
  },
  [ClaimAction.UPHOLD_REJECTION]: {
    mutation: 'reviewClaim',
    roles: [AGENT],
    party: ActingParty.MARKETPLACE,
    transition: ClaimTransition.UPHOLD_REJECTION,
    summary: 'After a rejection or an appeal: the marketplace agrees, and the claim is denied.',
  },
  [ClaimAction.SUBMIT_DEFENCE]: {
    mutation: 'submitProductDefence',
    roles: [SELLER, INSURER],
    party: ActingParty.SELLER_SIDE,
    // A defence answers a payment the marketplace made: a concession or a step-in.
    precondition: (facts) => {
      if (!facts.paidByMarketplace) return ActionBlockedReason.WRONG_STATUS;
      return facts.defenceAwaitingDecision ? ActionBlockedReason.DEFENCE_AWAITING_DECISION : null;
    },
    requires:
      'the marketplace paid the customer (WRONG_STATUS), and no other defence awaits a decision (DEFENCE_AWAITING_DECISION)',
    summary: 'After the marketplace paid: evidence that the product was not defective, one at a time.',
  },
  [ClaimAction.DECIDE_DEFENCE]: {
    mutation: 'decideProductDefence',
    roles: [AGENT],
    party: ActingParty.MARKETPLACE,
    precondition: (facts) => (facts.defenceAwaitingDecision ? null : ActionBlockedReason.NOTHING_TO_DECIDE),
    requires: 'a defence awaits a decision (NOTHING_TO_DECIDE)',
    summary: 'Upholds (dropping the recovery) or rejects the defence awaiting a decision.',
  },
  [ClaimAction.RECORD_RECOVERY_PAYMENT]: {
    mutation: 'recordRecoveryPayment',
    roles: [AGENT],
    party: ActingParty.MARKETPLACE,
    precondition: (facts) => (facts.openRecovery ? null : ActionBlockedReason.NO_OPEN_RECOVERY),
    requires: 'a recovery is open (NO_OPEN_RECOVERY)',
    summary: 'Records that the seller or its insurer repaid the marketplace.',
  },
  [ClaimAction.SUBMIT_FRAUD_FINDING]: {
    mutation: 'submitFraudReview',
    roles: [FRAUD_EXPERT],
    party: ActingParty.ASSIGNED_EXPERT,
    statuses: [ClaimStatus.EXPERT_REVIEW],
    summary: 'The finding of the expert that picked the review: valid routes the claim, any other denies it.',
  },
};

/** The roles of the actions one mutation takes (respondToClaim: ACCEPT and REJECT). */
export function rolesOf(...actions: ClaimAction[]): Role[] {
  return [...new Set(actions.flatMap((action) => CLAIM_ACTIONS[action].roles))];
}

function isParty(party: ActingParty, viewer: Viewer, facts: ClaimFacts): boolean {
  if (viewer.role === AGENT) return true;
  switch (party) {
    case ActingParty.CLAIMANT:
      return viewer.role === CUSTOMER && facts.audience.customerRef === viewer.subject;
    case ActingParty.SELLER_SIDE:
      return (
        (viewer.role === SELLER && facts.audience.sellerRef === viewer.subject) ||
        (viewer.role === INSURER && facts.audience.insurerRef === viewer.subject)
      );
    case ActingParty.ASSIGNED_EXPERT:
      return viewer.role === FRAUD_EXPERT && facts.audience.reviewerRef === viewer.subject;
    case ActingParty.MARKETPLACE:
      return false;
  }
}

/** The statuses an action may be taken in; null: any. */
export function statusesOf(rule: ClaimActionRule): readonly ClaimStatus[] | null {
  return rule.statuses ?? (rule.transition ? TRANSITIONS[rule.transition].from : null);
}

/**
 * Why `viewer` cannot take `action` on the claim now, or null when it can. Checked in one order:
 * role and party (NOT_A_PARTY), status (WRONG_STATUS), the transition's guard, the precondition.
 */
export function claimActionBlock(
  action: ClaimAction,
  viewer: Viewer,
  facts: ClaimFacts,
  context: GuardContext,
): ActionBlockedReason | null {
  const rule = CLAIM_ACTIONS[action];
  if (!rule.roles.includes(viewer.role) || !isParty(rule.party, viewer, facts)) {
    return ActionBlockedReason.NOT_A_PARTY;
  }
  const statuses = statusesOf(rule);
  if (statuses && !statuses.includes(facts.claim.status)) return ActionBlockedReason.WRONG_STATUS;
  const guarded = rule.transition ? transitionBlock(facts.claim, rule.transition, context) : null;
  return guarded ?? rule.precondition?.(facts, viewer) ?? null;
}

export interface AvailableAction {
  action: ClaimAction;
  enabled: boolean;
  /** Why not, when disabled. */
  reason: ActionBlockedReason | null;
}

/** Every action the viewer's role could take on the claim, enabled or not, with the reason when not. */
export function availableActions(
  viewer: Viewer,
  facts: ClaimFacts,
  context: GuardContext,
): AvailableAction[] {
  return Object.values(ClaimAction)
    .filter((action) => CLAIM_ACTIONS[action].roles.includes(viewer.role))
    .map((action) => {
      const reason = claimActionBlock(action, viewer, facts, context);
      return { action, enabled: reason === null, reason };
    });
}
