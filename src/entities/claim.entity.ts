import {
  BigIntType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Role } from '../auth/role';
import { ClaimStatus } from './claim-status';
import { ClaimRoute } from './claim-route';
import { Customer } from './customer.entity';
import { InsuranceProvider } from './insurance-provider.entity';
import { PayerParty } from './money-party';
import { Order } from './order.entity';
import { Product } from './product.entity';
import { Seller } from './seller.entity';

/**
 * A product-liability claim. Customer, seller and product are copied from the order when the claim
 * is filed (orders never change those), so that scoping and filtering need no join through orders.
 */
@ObjectType('Claim', { implements: Node, description: 'A product-liability claim.' })
@Entity({ tableName: 'claim' })
@Index({ properties: ['filedAt', 'id'] })
@Index({ properties: ['order', 'status'] })
// A product's claims by filing time: screening counts those within a window (also a product's
// claims in filing order).
@Index({ properties: ['product', 'filedAt', 'id'] })
export class Claim {
  [OptionalProps]?:
    | 'lastEventSequence'
    | 'version'
    | 'updatedAt'
    | 'releasedToSellerAt'
    | 'releasedFromSequence'
    | 'appealCount'
    | 'payoutDestination';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Order)
  order!: Order;

  @ManyToOne(() => Customer, { index: true })
  customer!: Customer;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => Product)
  product!: Product;

  @Property({ type: 'boolean' })
  coversPropertyDamage!: boolean;

  @Property({ type: 'boolean' })
  coversPersonalInjury!: boolean;

  @Field(() => ClaimStatus)
  @Enum({ items: () => ClaimStatus, type: 'string', length: 40, index: true })
  status!: ClaimStatus;

  /** Calendar day of the incident (YYYY-MM-DD); insurance cover is judged on this day. */
  @Field(() => GraphQLLocalDate)
  @Property({ type: 'date' })
  incidentDate!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;

  /** Amount claimed, in minor units of `currency`. */
  @Property({ type: new BigIntType('bigint') })
  claimedAmountMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  filedAt!: Date;

  /** The payment-processor token of the account the customer asked to be paid to, if not the card used. */
  @Property({ type: 'string', length: 200, nullable: true, index: true })
  payoutDestination?: string | null;

  @Enum({ items: () => Role, type: 'string', length: 20 })
  filedByRole!: Role;

  @Property({ type: 'string', length: 100 })
  filedBySubject!: string;

  /**
   * When the claim passed screening and the seller was told of it. Until then the seller and its
   * insurer can neither see the claim nor hear of it.
   */
  @Property({ type: 'datetime', nullable: true })
  releasedToSellerAt?: Date | null;

  /**
   * The claim's first event the seller side may see: the one that released the claim to it. Set
   * once, with that event, so that every event can be judged by its position.
   */
  @Property({ type: 'integer', nullable: true })
  releasedFromSequence?: number | null;

  /** How the claim was routed after screening; null until then. */
  @Enum({ items: () => ClaimRoute, type: 'string', length: 20, nullable: true })
  route?: ClaimRoute | null;

  /** The seller's insurer on the incident day, found when the claim is routed. */
  @ManyToOne(() => InsuranceProvider, { nullable: true })
  insurer?: InsuranceProvider | null;

  /** Absolute deadline for the seller's (or its insurer's) answer. */
  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'Absolute deadline for the seller or its insurer to answer.',
  })
  @Property({ type: 'datetime', nullable: true })
  respondBy?: Date | null;

  /** Who agreed to pay when the seller side accepted the claim. */
  @Enum({ items: () => PayerParty, type: 'string', length: 20, nullable: true })
  acceptedPayer?: PayerParty | null;

  @Property({ type: 'datetime', nullable: true })
  deniedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the claim was denied, for the customer.' })
  @Property({ type: 'text', nullable: true })
  denialReason?: string | null;

  /** Appeals used; a denial after an appeal is final. */
  @Property({ type: 'integer' })
  appealCount: number = 0;

  /** Sequence number of the latest timeline event; the next event takes the one after it. */
  @Property({ type: 'integer' })
  lastEventSequence: number = 0;

  @Property({ type: 'integer', version: true })
  version!: number;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
