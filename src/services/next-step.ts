import { ClaimStatus } from '../entities/claim-status';
import type { Claim } from '../entities/claim.entity';

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
  [ClaimStatus.SCREENING]: { summary: 'The marketplace is screening the claim.', party: ClaimParty.MARKETPLACE },
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
  [ClaimStatus.APPEALED]: { summary: 'A claims agent reviews the appeal.', party: ClaimParty.MARKETPLACE },
  [ClaimStatus.WITHDRAWN]: { summary: 'The customer withdrew the claim.', party: null },
  [ClaimStatus.CLOSED]: { summary: 'The claim is closed.', party: null },
};

/** What happens next on a claim, whose move it is, and by when. */
export function nextStepOf(claim: Pick<Claim, 'status'>): NextStep {
  return { ...NEXT_STEPS[claim.status], deadline: null };
}
