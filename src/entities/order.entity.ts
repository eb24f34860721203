import { BigIntType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { GraphQLDateTime } from 'graphql-scalars';
import { Customer } from './customer.entity';
import { Product } from './product.entity';
import { Seller } from './seller.entity';

/** One purchase of one product from one seller. Written only through `recordOrder`. */
@ObjectType('Order', { implements: Node, description: 'One purchase of one product from one seller.' })
@Entity({ tableName: 'customer_order' })
export class Order {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'deliveredAt' | 'deliveryAddressKey';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @ManyToOne(() => Customer, { index: true })
  customer!: Customer;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => Product, { index: true })
  product!: Product;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity!: number;

  /** What the customer paid for the whole line, in minor units of `currency`. */
  @Property({ type: new BigIntType('bigint') })
  priceMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  purchasedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  /**
   * sha256 of the normalised delivery address. Screening only needs to know which orders went to
   * the same address, so the address itself is not kept.
   */
  @Property({ type: 'string', length: 64, nullable: true, index: true })
  deliveryAddressKey?: string | null;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
