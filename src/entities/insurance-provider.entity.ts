import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { FinancialRating } from './financial-rating';

export enum InsuranceProviderStatus {
  ACTIVE = 'ACTIVE',
  /** Taken out of the network by the marketplace: asked for no quotes, its offers cannot be bound. */
  SUSPENDED = 'SUSPENDED',
}

/**
 * An insurance company. Insurer tokens carry its `externalRef` as `sub`. Providers in the vetted
 * network are asked for quotes; a provider with a built-in rating model answers at once, the
 * others (partner insurers) answer through the API.
 */
@ObjectType('InsuranceProvider', { implements: Node, description: 'An insurance company.' })
@Entity({ tableName: 'insurance_provider' })
export class InsuranceProvider {
  [OptionalProps]?: 'vetted' | 'status' | 'contactEmail';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** The NAIC company code: five digits. */
  @Field(() => String, { nullable: true, description: 'NAIC company code (five digits).' })
  @Property({ type: 'string', length: 5, nullable: true, unique: true })
  naicCode?: string | null;

  @Field(() => FinancialRating, { nullable: true, description: 'Financial strength rating (AM Best scale).' })
  @Enum({ items: () => FinancialRating, type: 'string', length: 20, nullable: true })
  financialRating?: FinancialRating | null;

  @Field(() => Boolean, {
    description: 'Member of the vetted network: asked for quotes when a seller requests them.',
  })
  @Property({ type: 'boolean' })
  vetted: boolean = false;

  @Field(() => InsuranceProviderStatus)
  @Enum({ items: () => InsuranceProviderStatus, type: 'string', length: 20 })
  status: InsuranceProviderStatus = InsuranceProviderStatus.ACTIVE;

  /** Where its notifications are emailed; not shown to other parties. */
  @Property({ type: 'string', length: 320, nullable: true })
  contactEmail?: string | null;

  /** The built-in rating model that quotes for this provider; null for a partner who quotes itself. */
  @Property({ type: 'string', length: 40, nullable: true })
  ratingModel?: string | null;
}
