/**
 * What screening knows about a claim when it decides: the claim, its order, and the history that
 * came before it. Facts are plain data, loaded once (screening-facts.loader.ts), so the assessment
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
  /** Earlier claims on the same product within the policy's window. */
  recentClaimsOnProduct: number;
  /** Earlier claims of the same kind on the same order that were already paid. */
  paidDuplicates: string[];
}
