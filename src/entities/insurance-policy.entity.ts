import {
  BigIntType,
  Entity,
  Enum,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { ActorRole } from './claim-event-type';
import { InsuranceProvider } from './insurance-provider.entity';
import { InsuranceQuote } from './insurance-quote.entity';
import type { RequirementCheck } from './requirement-check';
import { Seller } from './seller.entity';

/** Whether the policy was checked against the marketplace's requirements and confirmed. */
export enum PolicyVerificationStatus {
  PENDING_VERIFICATION = 'PENDING_VERIFICATION',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
}

export enum PolicySource {
  /** Bound from a quote of the vetted network: verified by construction. */
  MARKETPLACE_QUOTE = 'MARKETPLACE_QUOTE',
  /** Bought elsewhere and registered by the seller (or an agent for it), then verified. */
  REGISTERED = 'REGISTERED',
}

/** A seller's product-liability policy: who insures the seller, on which terms, for which days. */
@ObjectType('InsurancePolicy', { implements: Node, description: "A seller's product-liability policy." })
@Entity({ tableName: 'insurance_policy' })
@Unique({ properties: ['provider', 'policyNumber'] })
export class InsurancePolicy {
  [OptionalProps]?: 'source' | 'registeredAt';

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
  @Field(() => GraphQLLocalDate, { description: 'Last day of cover, inclusive.' })
  @Property({ type: 'date' })
  effectiveTo!: string;

  @Field(() => PolicyVerificationStatus)
  @Enum({ items: () => PolicyVerificationStatus, type: 'string', length: 30 })
  verificationStatus!: PolicyVerificationStatus;

  @Field(() => PolicySource)
  @Enum({ items: () => PolicySource, type: 'string', length: 30 })
  source: PolicySource = PolicySource.REGISTERED;

  /** The bound quote, for policies bought through the network. */
  @ManyToOne(() => InsuranceQuote, { nullable: true, unique: true })
  quote?: InsuranceQuote | null;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: new BigIntType('bigint') })
  perOccurrenceLimitMinor!: bigint;

  @Property({ type: new BigIntType('bigint') })
  aggregateLimitMinor!: bigint;

  @Property({ type: new BigIntType('bigint') })
  deductibleMinor!: bigint;

  @Field(() => Boolean, { description: 'Whether the policy names the marketplace as additional insured.' })
  @Property({ type: 'boolean' })
  additionalInsured!: boolean;

  /** Known for policies bound through the network. */
  @Property({ type: new BigIntType('bigint'), nullable: true })
  annualPremiumMinor?: bigint | null;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime', onCreate: () => new Date() })
  registeredAt: Date = new Date();

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  verifiedAt?: Date | null;

  @Field(() => ActorRole, { nullable: true, description: 'Who verified or rejected the policy.' })
  @Enum({ items: () => ActorRole, type: 'string', length: 20, nullable: true })
  verifiedByRole?: ActorRole | null;

  @Property({ type: 'string', length: 100, nullable: true })
  verifiedBySubject?: string | null;

  /** For a rejection: every requirement that failed, as checked then. */
  @Property({ type: 'json', nullable: true })
  failedRequirements?: RequirementCheck[] | null;

  @Field(() => String, { nullable: true, description: "The verifier's note." })
  @Property({ type: 'text', nullable: true })
  verificationNote?: string | null;

  /** Cover ends the day before; null while not cancelled. */
  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'Cancelled from this day on: the last covered day is the day before.',
  })
  @Property({ type: 'date', nullable: true })
  cancelledFrom?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancellationReason?: string | null;
}
