import { Collection, Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { InsuranceQuote } from './insurance-quote.entity';
import { Seller } from './seller.entity';

export enum QuoteRequestStatus {
  /** Quotes may still arrive and be bound. */
  OPEN = 'OPEN',
  /** One quote was bound; the others were not taken. */
  BOUND = 'BOUND',
}

/** The seller's business as it was sent to insurers with a request: quotes are priced on it. */
export interface QuotedProfile {
  productCategories: string[];
  /** Minor units, as a decimal string (JSON has no bigint). */
  annualRevenueMinor: string;
  currency: string;
  unitsSold: number;
  yearsInBusiness: number;
  claimsHistory: {
    windowYears: number;
    claims: number;
    paidClaims: number;
    deniedClaims: number;
    openClaims: number;
  };
}

/** A seller's request for product-liability quotes, sent to every active vetted provider. */
@ObjectType('InsuranceQuoteRequest', {
  implements: Node,
  description: "A seller's request for product-liability quotes.",
})
@Entity({ tableName: 'insurance_quote_request' })
export class InsuranceQuoteRequest {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @Field(() => QuoteRequestStatus)
  @Enum({ items: () => QuoteRequestStatus, type: 'string', length: 20 })
  status!: QuoteRequestStatus;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  requestedAt!: Date;

  @Field(() => GraphQLLocalDate, { description: 'First day of the cover asked for.' })
  @Property({ type: 'date' })
  coverageStart!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day of the cover asked for (one year), inclusive.' })
  @Property({ type: 'date' })
  coverageEnd!: string;

  @Field(() => GraphQLDateTime, {
    description: 'Partner insurers answer by then; unanswered requests expire.',
  })
  @Property({ type: 'datetime' })
  respondBy!: Date;

  @Property({ type: 'json' })
  profile!: QuotedProfile;

  @OneToMany(() => InsuranceQuote, (quote) => quote.request)
  quotes = new Collection<InsuranceQuote>(this);
}
