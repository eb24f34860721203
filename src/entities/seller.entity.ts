import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';

/** A third-party seller. Written only through `upsertSeller`. */
@ObjectType('Seller', { implements: Node, description: 'A third-party seller.' })
@Entity({ tableName: 'seller' })
export class Seller {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The marketplace's own identifier; seller tokens carry it as `sub`. */
  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  contactEmail!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
