import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A catalogue product. Written only through `upsertProduct`. */
@Entity({ tableName: 'product' })
export class Product {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Property({ type: 'string', length: 300 })
  name!: string;

  @Property({ type: 'string', length: 100 })
  category!: string;

  /** List price in minor units of `currency`. */
  @Property({ type: new BigIntType('bigint') })
  priceMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
