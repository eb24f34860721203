import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { MoneyInput } from './money.type';

@InputType()
export class RegisterInsurancePolicyInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Agents name the seller; a seller registers its own policy.',
  })
  sellerId?: string | null;

  @Field(() => ID, { description: 'The issuing provider, in the network or not (see insuranceProviders).' })
  providerId!: string;

  @Field(() => String)
  policyNumber!: string;

  @Field(() => GraphQLLocalDate)
  effectiveFrom!: string;

  @Field(() => GraphQLLocalDate, {
    description: 'Last day of cover, inclusive; at most three years after effectiveFrom.',
  })
  effectiveTo!: string;

  @Field(() => MoneyInput)
  perOccurrenceLimit!: MoneyInput;

  @Field(() => MoneyInput)
  aggregateLimit!: MoneyInput;

  @Field(() => MoneyInput)
  deductible!: MoneyInput;

  @Field(() => Boolean, { description: 'Whether the policy names the marketplace as additional insured.' })
  additionalInsured!: boolean;
}

@InputType()
export class VerifyInsurancePolicyInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => Boolean, {
    description: 'The verifier confirms the policy exists on the registered terms; false rejects it.',
  })
  confirmed!: boolean;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class CancelInsurancePolicyInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => GraphQLLocalDate, {
    description: 'First day without cover. Sellers may not cancel in the past.',
  })
  effectiveOn!: string;

  @Field(() => String)
  reason!: string;
}
