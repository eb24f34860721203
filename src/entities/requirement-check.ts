import { Field, ObjectType } from 'type-graphql';

/** The marketplace's requirements for a seller's product-liability cover. */
export enum InsuranceRequirement {
  PER_OCCURRENCE_LIMIT = 'PER_OCCURRENCE_LIMIT',
  AGGREGATE_LIMIT = 'AGGREGATE_LIMIT',
  DEDUCTIBLE = 'DEDUCTIBLE',
  INSURER_RATING = 'INSURER_RATING',
  ADDITIONAL_INSURED = 'ADDITIONAL_INSURED',
  /** The issuing insurer (or an agent) confirmed that the policy exists on these terms. */
  ISSUER_CONFIRMATION = 'ISSUER_CONFIRMATION',
}

/** One requirement checked against a quote or policy. */
@ObjectType('RequirementCheck', {
  description: 'One marketplace requirement checked against a quote or policy.',
})
export class RequirementCheck {
  @Field(() => InsuranceRequirement)
  requirement!: InsuranceRequirement;

  @Field(() => Boolean)
  passed!: boolean;

  @Field(() => String, { description: 'What the marketplace requires, e.g. "at least 1000000.00 USD".' })
  required!: string;

  @Field(() => String, { description: 'What the quote or policy has.' })
  actual!: string;
}
