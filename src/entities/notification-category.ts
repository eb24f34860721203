/** What a notification tells of: the unit a principal chooses to receive by email or not. */
export enum NotificationCategory {
  /** Customers: the claim was received. */
  CLAIM_RECEIVED = 'CLAIM_RECEIVED',
  /** Customers: a decision on the claim (approved, accepted, denied with the appeal window, stepped in, …). */
  CLAIM_DECISION = 'CLAIM_DECISION',
  /** Customers: the customer was paid. */
  PAYOUT = 'PAYOUT',
  /** Sellers and insurers: a claim reached them, with what they must do and by when. */
  CLAIM_NOTICE = 'CLAIM_NOTICE',
  /** Sellers and insurers: the response deadline approaches. */
  RESPONSE_REMINDER = 'RESPONSE_REMINDER',
  /** Sellers and insurers: the marketplace stepped in and pays. */
  STEPPED_IN = 'STEPPED_IN',
  /** Insurers: the insurer accepted to pay a claim: the payment is expected. */
  PAYMENT_REQUESTED = 'PAYMENT_REQUESTED',
  /** Sellers and insurers: a recovery was opened, dropped or collected. */
  RECOVERY = 'RECOVERY',
  /** Sellers and insurers: the marketplace decided a defence of the product. */
  DEFENCE_OUTCOME = 'DEFENCE_OUTCOME',
  /** Sellers: cover ends soon, or ended. */
  POLICY_EXPIRING = 'POLICY_EXPIRING',
  POLICY_EXPIRED = 'POLICY_EXPIRED',
  /** Insurers: a seller asks for a quote. */
  QUOTE_REQUEST = 'QUOTE_REQUEST',
  /** Agents: a rejection or an appeal waits for the marketplace's review. */
  REVIEW_WAITING = 'REVIEW_WAITING',
  /** Agents: a defence of the product waits for a decision. */
  DECISION_WAITING = 'DECISION_WAITING',
  /** Endpoint owners: a webhook endpoint was disabled. */
  WEBHOOK_DISABLED = 'WEBHOOK_DISABLED',
}
