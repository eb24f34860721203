import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An insurance company. Insurer tokens carry its `externalRef` as `sub`. */
@Entity({ tableName: 'insurance_provider' })
export class InsuranceProvider {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;
}
