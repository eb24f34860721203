import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';

/** A buyer, as the marketplace knows it. Written only through `upsertCustomer`. */
@ObjectType('Customer', { implements: Node, description: 'A buyer.' })
@Entity({ tableName: 'customer' })
export class Customer {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The marketplace's own identifier; tokens carry it as `sub`. */
  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
