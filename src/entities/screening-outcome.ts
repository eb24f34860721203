/** Where screening sends a claim. */
export enum ScreeningOutcome {
  /** On to routing: the seller may hear of it. */
  PASS = 'PASS',
  /** To an independent fraud expert first. */
  REFER = 'REFER',
  /** Denied by a hard rule, with the reason. */
  DENY = 'DENY',
}

/** How soon an expert should look at a referral. */
export enum ReviewPriority {
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
}
