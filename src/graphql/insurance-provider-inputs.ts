import { Field, ID, InputType } from 'type-graphql';
import { FinancialRating } from '../entities/financial-rating';
import { InsuranceProviderStatus } from '../entities/insurance-provider.entity';
import { RATING_MODELS } from '../services/insurance/rating-models';

@InputType()
export class InsuranceProviderFilter {
  @Field(() => Boolean, { nullable: true })
  vetted?: boolean | null;

  @Field(() => InsuranceProviderStatus, { nullable: true })
  status?: InsuranceProviderStatus | null;
}

@InputType()
export class AddInsuranceProviderInput {
  @Field(() => String, { description: "The provider's reference; its insurer tokens carry it as `sub`." })
  externalRef!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'NAIC company code: five digits, unique.' })
  naicCode!: string;

  @Field(() => FinancialRating)
  financialRating!: FinancialRating;

  @Field(() => Boolean, { description: 'Take it into the vetted network, which is asked for quotes.' })
  vetted!: boolean;

  @Field(() => String, {
    nullable: true,
    description: `A built-in rating model that quotes for the provider at once (${Object.keys(RATING_MODELS).join(', ')}); omitted, the provider quotes itself through the API.`,
  })
  ratingModel?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Where the provider's notifications are emailed; shown to no other party.",
  })
  contactEmail?: string | null;
}

@InputType()
export class UpdateInsuranceProviderInput {
  @Field(() => ID)
  providerId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => FinancialRating, { nullable: true })
  financialRating?: FinancialRating | null;

  @Field(() => Boolean, { nullable: true })
  vetted?: boolean | null;

  @Field(() => String, { nullable: true, description: "Where the provider's notifications are emailed." })
  contactEmail?: string | null;
}

@InputType()
export class InsuranceProviderStatusInput {
  @Field(() => ID)
  providerId!: string;
}
