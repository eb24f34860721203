import { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { PayerParty } from '../../entities/money-party';
import { type Recovery, RecoveryStatus } from '../../entities/recovery.entity';
import { appealDeadlineOf } from './claim-state-machine';

export enum ClaimParty {
  CUSTOMER = 'CUSTOMER',
  SELLER = 'SELLER',
  INSURER = 'INSURER',
  MARKETPLACE = 'MARKETPLACE',
  FRAUD_EXPERT = 'FRAUD_EXPERT',
}

export interface NextStep {
  summary: string;
  /** Whose move it is; null when nobody has to act. */
  party: ClaimParty | null;
  /** When the move is due, as an absolute time; null when no deadline applies. */
  deadline: Date | null;
}

const NEXT_STEPS: Record<ClaimStatus, Omit<NextStep, 'deadline'>> = {
  [ClaimStatus.SUBMITTED]: {
    summary: 'The marketplace screens the claim before the seller is told of it.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.SCREENING]: {
    summary: 'The marketplace is screening the claim.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.EXPERT_REVIEW]: {
    summary: 'An independent fraud expert reviews the claim.',
    party: ClaimParty.FRAUD_EXPERT,
  },
  [ClaimStatus.APPROVED_CONCESSION]: {
    summary: 'The marketplace pays the customer directly.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.AWAITING_SELLER]: {
    summary: 'The seller or its insurer accepts or rejects the claim before the deadline.',
    party: ClaimParty.SELLER,
  },
  [ClaimStatus.SELLER_ACCEPTED]: {
    summary: 'The seller or its insurer pays the customer.',
    party: ClaimParty.SELLER,
  },
  [ClaimStatus.SELLER_REJECTED]: {
    summary: 'The marketplace reviews the rejection.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.MARKETPLACE_REVIEW]: {
    summary: 'A claims agent decides whether the marketplace steps in.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.STEPPED_IN]: {
    summary: 'The marketplace pays the customer and pursues the seller.',
    party: ClaimParty.MARKETPLACE,
  },
  [ClaimStatus.PAID]: { summary: 'The customer has been paid.', party: null },
  [ClaimStatus.DENIED]: {
    summary: 'The claim was denied; the customer may appeal with new evidence.',
    party: ClaimParty.CUSTOMER,
  },
  [ClaimStatus.WITHDRAWN]: { summary: 'The customer withdrew the claim.', party: null },
  [ClaimStatus.CLOSED]: { summary: 'The claim is closed.', party: null },
};

/** What happens next on a claim, whose move it is, and by when. */
export function nextStepOf(
  claim: Claim,
  context: { appealWindowDays: number; recovery: Recovery | null },
): NextStep {
  const step = NEXT_STEPS[claim.status];
  switch (claim.status) {
    case ClaimStatus.AWAITING_SELLER:
      return { ...step, deadline: claim.respondBy ?? null };
    case ClaimStatus.SELLER_ACCEPTED:
      return claim.acceptedPayer === PayerParty.INSURER
        ? { summary: "The seller's insurer pays the customer.", party: ClaimParty.INSURER, deadline: null }
        : { ...step, deadline: null };
    case ClaimStatus.DENIED:
      return claim.appealCount > 0
        ? {
            summary: 'The claim was denied after an appeal; the denial is final.',
            party: null,
            deadline: null,
          }
        : { ...step, deadline: appealDeadlineOf(claim, context.appealWindowDays) };
    case ClaimStatus.PAID: {
      const recovery = context.recovery;
      if (recovery?.status === RecoveryStatus.AWAITING_PROOF) {
        return {
          summary:
            'The customer was paid. The seller may prove it was insured on the incident date; otherwise the marketplace recovers the amount.',
          party: ClaimParty.SELLER,
          deadline: recovery.graceEndsAt ?? null,
        };
      }
      if (recovery?.status === RecoveryStatus.OPEN) {
        return {
          summary: 'The customer was paid; the marketplace recovers the amount.',
          party: ClaimParty.MARKETPLACE,
          deadline: null,
        };
      }
      return { ...step, deadline: null };
    }
    default:
      return { ...step, deadline: null };
  }
}
