import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { GraphQLDateTime } from 'graphql-scalars';
import { ActorRole, ClaimEventType } from './claim-event-type';
import { ClaimStatus } from './claim-status';
import { Claim } from './claim.entity';

/**
 * One immutable entry of a claim's timeline, written in the transaction of the change it records.
 * `id` is global and increasing; `sequence` counts the events of one claim from 1.
 */
@ObjectType('ClaimEvent', { implements: Node, description: 'One immutable entry of a claim timeline.' })
@Entity({ tableName: 'claim_event' })
@Unique({ properties: ['claim', 'sequence'] })
export class ClaimEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @ManyToOne(() => Claim)
  claim!: Claim;

  @Field(() => Int, { description: 'Position in this claim timeline, from 1.' })
  @Property({ type: 'integer' })
  sequence!: number;

  @Field(() => ClaimEventType)
  @Enum({ items: () => ClaimEventType, type: 'string', length: 40 })
  type!: ClaimEventType;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  /** Resolved per viewer (claim-event.resolver.ts): the seller side never reads an expert's act. */
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  actorRole!: ActorRole;

  @Property({ type: 'string', length: 100, nullable: true })
  actorSubject?: string | null;

  /** Resolved per viewer: the seller side knows no status before the claim reached it. */
  @Enum({ items: () => ClaimStatus, type: 'string', length: 40, nullable: true })
  fromStatus?: ClaimStatus | null;

  @Field(() => ClaimStatus, { nullable: true })
  @Enum({ items: () => ClaimStatus, type: 'string', length: 40, nullable: true })
  toStatus?: ClaimStatus | null;

  /**
   * What happened, in the marketplace's words; the customer and the seller side read their own
   * text where it differs (null: the same). None carries injury details.
   */
  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'text', nullable: true })
  customerMessage?: string | null;

  @Property({ type: 'text', nullable: true })
  sellerSideMessage?: string | null;
}
