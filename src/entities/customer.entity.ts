import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A buyer, as the marketplace knows it. Written only through `upsertCustomer`. */
@Entity({ tableName: 'customer' })
export class Customer {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The marketplace's own identifier; tokens carry it as `sub`. */
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
