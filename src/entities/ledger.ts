/** The marketplace's own accounts. Balances are debits minus credits, in minor units. */
export enum LedgerAccountCode {
  /** Marketplace money at the payment provider. */
  CASH = 'CASH',
  /** What the marketplace spends paying claims itself (concessions and step-ins). */
  CLAIMS_EXPENSE = 'CLAIMS_EXPENSE',
  /** Owed to the marketplace by sellers and insurers after it paid for them. */
  RECOVERY_RECEIVABLE = 'RECOVERY_RECEIVABLE',
  /** Expense won back through recoveries. */
  RECOVERIES = 'RECOVERIES',
}

export enum EntrySide {
  DEBIT = 'DEBIT',
  CREDIT = 'CREDIT',
}
