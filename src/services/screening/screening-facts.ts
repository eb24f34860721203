import type { ScreeningPolicy } from './screening-policy';

/**
 * What screening knows about a claim when it decides: the claim, its order, and the history that
 * came before it. Facts are plain data, loaded once (screening-facts-reader.ts), so the assessment
 * itself is a pure function of facts and policy.
 */
export interface ScreeningFacts {
  claim: {
    filedAt: Date;
    /** YYYY-MM-DD */
    incidentDate: string;
    amountMinor: bigint;
    currency: string;
    coversPersonalInjury: boolean;
  };
  order: {
    priceMinor: bigint;
    deliveredAt: Date | null;
  };
  /** The claimant's claims filed before this one. */
  earlierClaimsOfClaimant: { filedAt: Date; denied: boolean }[];
  /** Evidence of this claim already on an earlier claim. */
  reusedEvidence: { contentHash: string; claimNumber: string; sameCustomer: boolean }[];
  /** Earlier claims by other customers whose description is near-identical. */
  similarDescriptions: { claimNumber: string; similarity: number }[];
  /** The claimant's first order (its account's age), if any before the claim. */
  claimantFirstOrderAt: Date | null;
  /** Other customer accounts, new within the policy's window, with orders to the claim's delivery address. */
  newAccountsAtAddress: number;
  /** Other customers with earlier claims on orders delivered to that address. */
  otherClaimantsAtAddress: number;
  /** Other customers with earlier claims paid to the same destination. */
  otherClaimantsWithPayoutDestination: number;
  /**
   * Earlier claims on the same product within the policy's window, counted up to
   * `PRODUCT_CLAIMS_COUNTED_UP_TO` (or the policy's threshold, if higher): a mass recall puts
   * hundreds of thousands there, and counting them all again for every batch made each batch's
   * cost grow with the recall.
   */
  recentClaimsOnProduct: number;
  /** Earlier claims of the same kind on the same order that were already paid. */
  paidDuplicates: string[];
}

/** Where the count of a product's recent claims stops (see `recentClaimsOnProduct`). */
export const PRODUCT_CLAIMS_COUNTED_UP_TO = 1000;

/** Where the count of a product's recent claims stops under `policy`: never below its threshold. */
export function productClaimsCountedUpTo(policy: Pick<ScreeningPolicy, 'productClaims'>): number {
  return Math.max(PRODUCT_CLAIMS_COUNTED_UP_TO, policy.productClaims.atLeast);
}
