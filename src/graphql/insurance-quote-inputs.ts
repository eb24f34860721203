import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { QuoteStatus } from '../entities/insurance-quote.entity';
import { QuoteSortField } from '../services/insurance/quote-ordering';
import { SortDirection } from './enums';
import { MoneyInput } from './money.type';

@InputType()
export class UpdateSellerInsuranceProfileInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Agents name the seller; a seller updates its own profile.',
  })
  sellerId?: string | null;

  @Field(() => [String], { description: 'Product categories sold, e.g. ["electronics", "home"]: 1 to 20.' })
  productCategories!: string[];

  @Field(() => MoneyInput, { description: 'Revenue of the last twelve months.' })
  annualRevenue!: MoneyInput;

  @Field(() => Int, { description: 'Units sold in the last twelve months.' })
  unitsSold!: number;

  @Field(() => Int)
  yearsInBusiness!: number;
}

@InputType()
export class RequestInsuranceQuotesInput {
  @Field(() => ID, { nullable: true, description: 'Agents name the seller; a seller asks for itself.' })
  sellerId?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'First day of cover, today to 90 days ahead; default today. Cover runs one year.',
  })
  coverageStart?: string | null;

  @Field(() => String, { description: 'A retry with the same key returns the first request.' })
  idempotencyKey!: string;
}

@InputType()
export class SubmitInsuranceQuoteInput {
  @Field(() => ID, { description: 'A pending quote addressed to the calling insurer.' })
  quoteId!: string;

  @Field(() => MoneyInput, {
    description: 'What the seller pays a year: the whole price, with no marketplace fee.',
  })
  annualPremium!: MoneyInput;

  @Field(() => MoneyInput)
  perOccurrenceLimit!: MoneyInput;

  @Field(() => MoneyInput, { description: 'At least the per-occurrence limit.' })
  aggregateLimit!: MoneyInput;

  @Field(() => MoneyInput, { description: 'Below the per-occurrence limit; may be zero.' })
  deductible!: MoneyInput;

  @Field(() => Boolean, {
    description: 'Whether the policy will name the marketplace as additional insured.',
  })
  additionalInsured!: boolean;

  @Field(() => GraphQLDateTime, { description: 'The offer can be bound until then: at most 90 days ahead.' })
  validUntil!: Date;
}

@InputType()
export class DeclineInsuranceQuoteInput {
  @Field(() => ID)
  quoteId!: string;

  @Field(() => String, { description: 'Shown to the seller; up to 1,000 characters.' })
  reason!: string;
}

@InputType()
export class BindInsuranceQuoteInput {
  @Field(() => ID)
  quoteId!: string;

  @Field(() => String, { description: 'A retry with the same key returns the first result.' })
  idempotencyKey!: string;
}

@InputType()
export class QuoteOrder {
  @Field(() => QuoteSortField)
  field!: QuoteSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@InputType()
export class QuoteFilter {
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only quotes meeting every marketplace requirement; false: only those failing one.',
  })
  meetsRequirements?: boolean | null;

  @Field(() => [QuoteStatus], { nullable: true })
  statuses?: QuoteStatus[] | null;
}
