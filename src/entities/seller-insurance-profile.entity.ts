import { BigIntType, Entity, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Seller } from './seller.entity';

/**
 * What a seller tells insurers about its business, to be quoted on. Its claims history is not
 * stored here: it is read from claimgraph's own claims whenever a profile is shown or quoted.
 */
@ObjectType('SellerInsuranceProfile', {
  description: 'What a seller tells insurers about its business, with its claims history.',
})
@Entity({ tableName: 'seller_insurance_profile' })
export class SellerInsuranceProfile {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Seller, { owner: true, unique: true })
  seller!: Seller;

  /** Lower-case product categories, e.g. ["electronics", "home"]. */
  @Field(() => [String])
  @Property({ type: 'json' })
  productCategories!: string[];

  /** Annual revenue in minor units of `currency`. */
  @Property({ type: new BigIntType('bigint') })
  annualRevenueMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** Units sold in the last twelve months. */
  @Field(() => Int, { description: 'Units sold in the last twelve months.' })
  @Property({ type: 'integer' })
  unitsSold!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  yearsInBusiness!: number;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
