import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';

/** A catalogue product. Written only through `upsertProduct`. */
@ObjectType('Product', { implements: Node, description: 'A catalogue product.' })
@Entity({ tableName: 'product' })
export class Product {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name!: string;

  @Field(() => String)
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
