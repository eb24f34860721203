import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { ActorRole } from './claim-event-type';
import { InsurancePolicy } from './insurance-policy.entity';

export enum InsurancePolicyEventType {
  BOUND = 'BOUND',
  REGISTERED = 'REGISTERED',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  /** Sent 30 and 7 days (by default) before cover ends, unless a later policy takes over. */
  EXPIRY_REMINDER = 'EXPIRY_REMINDER',
  EXPIRED = 'EXPIRED',
}

/** One immutable entry of a policy's history. */
@ObjectType('InsurancePolicyEvent', { description: 'One entry of a policy history.' })
@Entity({ tableName: 'insurance_policy_event' })
export class InsurancePolicyEvent {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => InsurancePolicy, { index: true })
  policy!: InsurancePolicy;

  @Field(() => InsurancePolicyEventType)
  @Enum({ items: () => InsurancePolicyEventType, type: 'string', length: 30 })
  type!: InsurancePolicyEventType;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Field(() => ActorRole)
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  actorRole!: ActorRole;

  @Field(() => String)
  @Property({ type: 'text' })
  message!: string;
}
