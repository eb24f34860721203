import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A third-party seller. Written only through `upsertSeller`. */
@Entity({ tableName: 'seller' })
export class Seller {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The marketplace's own identifier; seller tokens carry it as `sub`. */
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 320 })
  contactEmail!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
