import { BigIntType, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Customer } from './customer.entity';
import { Product } from './product.entity';
import { Seller } from './seller.entity';

/** One purchase of one product from one seller. Written only through `recordOrder`. */
@Entity({ tableName: 'customer_order' })
export class Order {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @ManyToOne(() => Customer, { index: true })
  customer!: Customer;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => Product, { index: true })
  product!: Product;

  @Property({ type: 'integer' })
  quantity!: number;

  /** What the customer paid for the whole line, in minor units of `currency`. */
  @Property({ type: new BigIntType('bigint') })
  priceMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'datetime' })
  purchasedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
