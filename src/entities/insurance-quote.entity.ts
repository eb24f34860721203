import { BigIntType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { InsuranceProvider } from './insurance-provider.entity';
import { InsuranceQuoteRequest } from './insurance-quote-request.entity';

export enum QuoteStatus {
  /** Waiting for a partner insurer's answer. */
  PENDING = 'PENDING',
  /** Priced and open to binding until `validUntil`. */
  OFFERED = 'OFFERED',
  DECLINED = 'DECLINED',
  /** An offer past `validUntil`, or a request the insurer did not answer in time. Never stored. */
  EXPIRED = 'EXPIRED',
  BOUND = 'BOUND',
  /** Another quote of the request was bound. */
  NOT_TAKEN = 'NOT_TAKEN',
}

/** One step of a built-in rating model's premium: a factor and why it applies. */
export interface RatingFactor {
  name: string;
  /** Multiplier as a decimal string, e.g. "1.250". */
  factor: string;
  reason: string;
}

/**
 * One provider's answer to a quote request: a priced offer with its limits and deductible, a
 * decline, or (for a partner insurer) a pending answer. A built-in provider may offer several
 * options, one quote each.
 */
@ObjectType('InsuranceQuote', {
  implements: Node,
  description: "An insurer's quote for a seller's product-liability cover.",
})
@Entity({ tableName: 'insurance_quote' })
@Index({ properties: ['provider', 'status'] })
export class InsuranceQuote {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => InsuranceQuoteRequest, { index: true })
  request!: InsuranceQuoteRequest;

  @ManyToOne(() => InsuranceProvider)
  provider!: InsuranceProvider;

  /** As stored: EXPIRED is worked out from `validUntil` when read (see quoteStatusAt). */
  @Enum({ items: () => QuoteStatus, type: 'string', length: 20 })
  status!: QuoteStatus;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: new BigIntType('bigint'), nullable: true })
  annualPremiumMinor?: bigint | null;

  @Property({ type: new BigIntType('bigint'), nullable: true })
  perOccurrenceLimitMinor?: bigint | null;

  @Property({ type: new BigIntType('bigint'), nullable: true })
  aggregateLimitMinor?: bigint | null;

  @Property({ type: new BigIntType('bigint'), nullable: true })
  deductibleMinor?: bigint | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the policy names the marketplace as additional insured.',
  })
  @Property({ type: 'boolean', nullable: true })
  additionalInsured?: boolean | null;

  @Field(() => GraphQLDateTime, {
    description: 'An offer can be bound until then; a pending request must be answered by then.',
  })
  @Property({ type: 'datetime' })
  validUntil!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  declineReason?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  respondedAt?: Date | null;

  /** How a built-in model arrived at the premium; null for partner quotes. */
  @Property({ type: 'json', nullable: true })
  ratingFactors?: RatingFactor[] | null;
}

/** The quote's status at `now`: an open offer or pending request past `validUntil` is EXPIRED. */
export function quoteStatusAt(quote: InsuranceQuote, now: Date): QuoteStatus {
  const open = quote.status === QuoteStatus.PENDING || quote.status === QuoteStatus.OFFERED;
  return open && quote.validUntil.getTime() <= now.getTime() ? QuoteStatus.EXPIRED : quote.status;
}
