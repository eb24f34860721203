/**
 * Expected failures of a mutation, returned in its payload rather than thrown: the caller can fix
 * them. `field` is the path to the offending input, e.g. ["input", "amountClaimed", "amount"].
 */
export enum UserErrorCode {
  REQUIRED = 'REQUIRED',
  TOO_LONG = 'TOO_LONG',
  INVALID_FORMAT = 'INVALID_FORMAT',
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  DUPLICATE_VALUE = 'DUPLICATE_VALUE',
  NOT_FOUND = 'NOT_FOUND',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  CLAIM_NOT_FOUND = 'CLAIM_NOT_FOUND',
  AMOUNT_NOT_POSITIVE = 'AMOUNT_NOT_POSITIVE',
  AMOUNT_TOO_LARGE = 'AMOUNT_TOO_LARGE',
  AMOUNT_TOO_PRECISE = 'AMOUNT_TOO_PRECISE',
  UNSUPPORTED_CURRENCY = 'UNSUPPORTED_CURRENCY',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  INCIDENT_BEFORE_PURCHASE = 'INCIDENT_BEFORE_PURCHASE',
  INCIDENT_IN_FUTURE = 'INCIDENT_IN_FUTURE',
  DATE_IN_FUTURE = 'DATE_IN_FUTURE',
  DELIVERY_BEFORE_PURCHASE = 'DELIVERY_BEFORE_PURCHASE',
  INJURY_DETAILS_REQUIRED = 'INJURY_DETAILS_REQUIRED',
  INJURY_DETAILS_NOT_APPLICABLE = 'INJURY_DETAILS_NOT_APPLICABLE',
  OPEN_CLAIM_EXISTS = 'OPEN_CLAIM_EXISTS',
  TOO_MANY_ITEMS = 'TOO_MANY_ITEMS',
  DUPLICATE_EVIDENCE = 'DUPLICATE_EVIDENCE',
  ORDER_CONFLICT = 'ORDER_CONFLICT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** Another change to the same claim won the race; read it again and retry if still wanted. */
  CONFLICT = 'CONFLICT',
  WRONG_STATUS = 'WRONG_STATUS',
  NOT_A_PARTY = 'NOT_A_PARTY',
  DEADLINE_PASSED = 'DEADLINE_PASSED',
  DEADLINE_NOT_REACHED = 'DEADLINE_NOT_REACHED',
  APPEAL_WINDOW_CLOSED = 'APPEAL_WINDOW_CLOSED',
  APPEAL_ALREADY_USED = 'APPEAL_ALREADY_USED',
  NOT_THE_PAYER = 'NOT_THE_PAYER',
  INSURANCE_PROOF_MISSING = 'INSURANCE_PROOF_MISSING',
  NOTHING_TO_DECIDE = 'NOTHING_TO_DECIDE',
  DEFENCE_AWAITING_DECISION = 'DEFENCE_AWAITING_DECISION',
  NO_OPEN_RECOVERY = 'NO_OPEN_RECOVERY',
  POLICY_CONFLICT = 'POLICY_CONFLICT',
  PERIOD_INVALID = 'PERIOD_INVALID',
  /** Another fraud expert picked the review first. */
  ALREADY_ASSIGNED = 'ALREADY_ASSIGNED',
  NOTHING_TO_REVIEW = 'NOTHING_TO_REVIEW',
  /** The seller has no insurance profile to be quoted on. */
  PROFILE_MISSING = 'PROFILE_MISSING',
  /** No active provider is in the vetted network. */
  NO_PROVIDERS = 'NO_PROVIDERS',
  PROVIDER_SUSPENDED = 'PROVIDER_SUSPENDED',
  /** The quote is not an open offer: still pending, or declined. */
  QUOTE_NOT_OFFERED = 'QUOTE_NOT_OFFERED',
  QUOTE_EXPIRED = 'QUOTE_EXPIRED',
  /** Another quote of the same request was bound. */
  REQUEST_ALREADY_BOUND = 'REQUEST_ALREADY_BOUND',
  /** The quote was already answered (offered or declined). */
  QUOTE_ALREADY_ANSWERED = 'QUOTE_ALREADY_ANSWERED',
  REQUIREMENTS_NOT_MET = 'REQUIREMENTS_NOT_MET',
  /** A webhook URL must be https (production). */
  HTTPS_REQUIRED = 'HTTPS_REQUIRED',
  /** A webhook URL names a private, loopback, link-local or otherwise non-public address. */
  ADDRESS_NOT_ALLOWED = 'ADDRESS_NOT_ALLOWED',
  /** Not a claim event type a webhook endpoint can ask for. */
  UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE',
}

export interface UserError {
  field: string[];
  message: string;
  code: UserErrorCode;
}

export function userError(field: string[], code: UserErrorCode, message: string): UserError {
  return { field, code, message };
}
