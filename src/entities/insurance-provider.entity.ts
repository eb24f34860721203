import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';

/** An insurance company. Insurer tokens carry its `externalRef` as `sub`. */
@ObjectType('InsuranceProvider', { implements: Node, description: 'An insurance company.' })
@Entity({ tableName: 'insurance_provider' })
export class InsuranceProvider {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Field(() => String)
  @Property({ type: 'string', length: 100, unique: true })
  externalRef!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;
}
