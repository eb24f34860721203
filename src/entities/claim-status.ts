/**
 * Every status a claim can hold. The transitions between them are owned by the claim workflow;
 * the filing path only ever creates SUBMITTED claims.
 */
export enum ClaimStatus {
  SUBMITTED = 'SUBMITTED',
  SCREENING = 'SCREENING',
  EXPERT_REVIEW = 'EXPERT_REVIEW',
  APPROVED_CONCESSION = 'APPROVED_CONCESSION',
  AWAITING_SELLER = 'AWAITING_SELLER',
  SELLER_ACCEPTED = 'SELLER_ACCEPTED',
  SELLER_REJECTED = 'SELLER_REJECTED',
  MARKETPLACE_REVIEW = 'MARKETPLACE_REVIEW',
  STEPPED_IN = 'STEPPED_IN',
  PAID = 'PAID',
  DENIED = 'DENIED',
  WITHDRAWN = 'WITHDRAWN',
  CLOSED = 'CLOSED',
}

/**
 * Statuses after which a claim no longer blocks a new claim of the same kind on the same order.
 * A paid claim counts as settled here: a repeat claim is screening's business (duplicate of a paid
 * claim), not a filing error.
 */
export const SETTLED_CLAIM_STATUSES: readonly ClaimStatus[] = [
  ClaimStatus.PAID,
  ClaimStatus.DENIED,
  ClaimStatus.WITHDRAWN,
  ClaimStatus.CLOSED,
];

/** Statuses in which the seller has not been told of the claim and must not see it. */
export const PRE_SCREENING_STATUSES: readonly ClaimStatus[] = [
  ClaimStatus.SUBMITTED,
  ClaimStatus.SCREENING,
  ClaimStatus.EXPERT_REVIEW,
];
