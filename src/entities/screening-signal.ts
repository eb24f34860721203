import { Field, Int, ObjectType } from 'type-graphql';

/** What a screening signal measured. */
export enum ScreeningSignalCode {
  AMOUNT_ABOVE_ORDER_VALUE = 'AMOUNT_ABOVE_ORDER_VALUE',
  INCIDENT_LONG_AFTER_DELIVERY = 'INCIDENT_LONG_AFTER_DELIVERY',
  FILED_LONG_AFTER_INCIDENT = 'FILED_LONG_AFTER_INCIDENT',
  INCIDENT_BEFORE_DELIVERY = 'INCIDENT_BEFORE_DELIVERY',
  FILED_BEFORE_DELIVERY = 'FILED_BEFORE_DELIVERY',
  CLAIMANT_VELOCITY = 'CLAIMANT_VELOCITY',
  CLAIMANT_HISTORY = 'CLAIMANT_HISTORY',
  CLAIMANT_DENIALS = 'CLAIMANT_DENIALS',
  EVIDENCE_REUSED_ACROSS_CUSTOMERS = 'EVIDENCE_REUSED_ACROSS_CUSTOMERS',
  EVIDENCE_REUSED_ACROSS_CLAIMS = 'EVIDENCE_REUSED_ACROSS_CLAIMS',
  SIMILAR_DESCRIPTION = 'SIMILAR_DESCRIPTION',
  SHARED_ADDRESS_CLAIMANTS = 'SHARED_ADDRESS_CLAIMANTS',
  SHARED_ADDRESS_ACCOUNTS = 'SHARED_ADDRESS_ACCOUNTS',
  SHARED_PAYOUT_DESTINATION = 'SHARED_PAYOUT_DESTINATION',
  NEW_CUSTOMER_ACCOUNT = 'NEW_CUSTOMER_ACCOUNT',
  PRODUCT_CLAIM_CLUSTER = 'PRODUCT_CLAIM_CLUSTER',
  DUPLICATE_OF_PAID_CLAIM = 'DUPLICATE_OF_PAID_CLAIM',
}

/**
 * What a signal speaks to. Only CUSTOMER_RISK adds to the risk score; PRODUCT_RISK points at the
 * product (many claims on it are a sign of a defect, not of fraud); HARD_RULE denies on its own.
 */
export enum ScreeningSignalCategory {
  CUSTOMER_RISK = 'CUSTOMER_RISK',
  PRODUCT_RISK = 'PRODUCT_RISK',
  HARD_RULE = 'HARD_RULE',
}

@ObjectType('ScreeningSignal', { description: 'One explainable reason behind a risk score.' })
export class ScreeningSignal {
  @Field(() => ScreeningSignalCode)
  code!: ScreeningSignalCode;

  @Field(() => ScreeningSignalCategory)
  category!: ScreeningSignalCategory;

  @Field(() => Int, { description: 'Points added to the risk score (0 for product risk and hard rules).' })
  weight!: number;

  @Field(() => String, { description: 'The facts behind the signal, in words.' })
  evidence!: string;
}
