import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { Seller } from '../entities/seller.entity';

@ObjectType('SellerCompliance', {
  description: 'Whether a seller held valid product-liability insurance on a day, and why not.',
})
export class SellerCompliance {
  @Field(() => Seller)
  seller!: Seller;

  @Field(() => GraphQLDateTime, { description: 'The instant asked about.' })
  at!: Date;

  @Field(() => GraphQLLocalDate, { description: 'The day judged: the UTC day of `at`.' })
  day!: string;

  @Field(() => Boolean)
  compliant!: boolean;

  @Field(() => InsurancePolicy, { nullable: true, description: 'The verified policy covering the day.' })
  policy!: InsurancePolicy | null;

  @Field(() => [String], { description: 'Why not compliant; empty when compliant.' })
  reasons!: string[];
}
