import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from './money.type';

@ObjectType('SellerClaimsHistory', {
  description: "A seller's claims as claimgraph knows them: only claims that passed screening count.",
})
export class SellerClaimsHistory {
  @Field(() => Int, { description: 'Years counted back from now.' })
  windowYears!: number;

  @Field(() => Int)
  claims!: number;

  @Field(() => Int, { description: 'Paid to the customer, by anyone.' })
  paidClaims!: number;

  @Field(() => Int)
  deniedClaims!: number;

  @Field(() => Int)
  openClaims!: number;
}

@ObjectType('QuotedProfile', {
  description: "The seller's business as insurers were shown it with a quote request.",
})
export class QuotedProfileType {
  @Field(() => [String])
  productCategories!: string[];

  @Field(() => Money)
  annualRevenue!: Money;

  @Field(() => Int)
  unitsSold!: number;

  @Field(() => Int)
  yearsInBusiness!: number;

  @Field(() => SellerClaimsHistory)
  claimsHistory!: SellerClaimsHistory;
}
