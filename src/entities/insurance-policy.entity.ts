import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { InsuranceProvider } from './insurance-provider.entity';
import { Seller } from './seller.entity';

export enum InsurancePolicyStatus {
  PENDING_VERIFICATION = 'PENDING_VERIFICATION',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

/** A seller's product-liability policy: who insures the seller, and for which days. */
@ObjectType('InsurancePolicy', { implements: Node, description: "A seller's product-liability policy." })
@Entity({ tableName: 'insurance_policy' })
@Unique({ properties: ['provider', 'policyNumber'] })
export class InsurancePolicy {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => InsuranceProvider, { index: true })
  provider!: InsuranceProvider;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  policyNumber!: string;

  /** First day of cover (YYYY-MM-DD). */
  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  effectiveFrom!: string;

  /** Last day of cover (YYYY-MM-DD), inclusive. */
  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  effectiveTo!: string;

  @Field(() => InsurancePolicyStatus)
  @Enum({ items: () => InsurancePolicyStatus, type: 'string', length: 30 })
  status!: InsurancePolicyStatus;
}
