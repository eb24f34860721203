import { BigIntType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Role } from '../auth/role';
import { Node } from '../graphql/node.interface';
import { type ClaimEventType, claimEventTypeNamed } from './claim-event-type';

export enum WebhookEndpointStatus {
  /** Receives deliveries. */
  ACTIVE = 'ACTIVE',
  /** Receives nothing until enabled again: by its owner, or after failing too long (see `disabledReason`). */
  DISABLED = 'DISABLED',
}

/**
 * A URL a seller, insurer or the marketplace's own integration receives signed claim events at.
 * It belongs to its owner (the token's role and subject) alone: nobody else reads or changes it.
 *
 * `cursor` is the position of the last claim event considered for it: events after it are turned
 * into deliveries, with the cursor moved in the same transaction. `leasedUntil`/`leaseHolder` say
 * which dispatcher delivers its deliveries now (one at a time, in order); `nextAttemptAt` is when
 * its oldest pending delivery is due (null: none pending), so finding work reads endpoints only.
 */
@ObjectType('WebhookEndpoint', {
  implements: Node,
  description: 'A URL that receives signed claim events (Standard Webhooks), owned by the caller.',
})
@Entity({ tableName: 'webhook_endpoint' })
@Index({ properties: ['ownerRole', 'ownerSubject', 'id'] })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class WebhookEndpoint {
  [OptionalProps]?:
    | 'status'
    | 'disabledReason'
    | 'disabledAt'
    | 'previousSecret'
    | 'previousSecretExpiresAt'
    | 'failingSince'
    | 'degraded'
    | 'leasedUntil'
    | 'leaseHolder'
    | 'nextAttemptAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The owner: deliveries carry what this role and subject would receive from `claimEvents`. */
  @Enum({ items: () => Role, type: 'string', length: 20 })
  ownerRole!: Role;

  @Property({ type: 'string', length: 100 })
  ownerSubject!: string;

  @Field(() => String, { description: 'Where deliveries are POSTed.' })
  @Property({ type: 'text' })
  url!: string;

  @Field(() => String, { description: "The owner's note about the endpoint (may be empty)." })
  @Property({ type: 'string', length: 500 })
  description!: string;

  /** The claim event types delivered, comma-separated; empty: every type. */
  @Property({ type: 'text' })
  eventTypeList!: string;

  /** Signs every delivery: `whsec_` + base64 of 32 random bytes. Kept as is, since signing needs it. */
  @Property({ type: 'string', length: 100 })
  secret!: string;

  /** The secret before the last rotation, still signing beside the new one until `previousSecretExpiresAt`. */
  @Property({ type: 'string', length: 100, nullable: true })
  previousSecret?: string | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'Until then the secret before the last rotation signs every delivery too (a second signature); null when no rotation overlaps.',
  })
  @Property({ type: 'datetime', nullable: true })
  previousSecretExpiresAt?: Date | null;

  @Field(() => WebhookEndpointStatus, { description: 'Whether it receives deliveries.' })
  @Enum({ items: () => WebhookEndpointStatus, type: 'string', length: 20 })
  status: WebhookEndpointStatus = WebhookEndpointStatus.ACTIVE;

  @Field(() => String, {
    nullable: true,
    description: 'Why the endpoint is disabled: by its owner, answered 410 Gone, or failing for days.',
  })
  @Property({ type: 'text', nullable: true })
  disabledReason?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was disabled; null while active.' })
  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'Since when every attempt failed (null after a success): too long, and the endpoint is disabled.',
  })
  @Property({ type: 'datetime', nullable: true })
  failingSince?: Date | null;

  /** Its last attempt failed or was slow: it is delivered in the lane of its own, so that it cannot hold up healthy endpoints. */
  @Property({ type: 'boolean' })
  degraded: boolean = false;

  /** The position of the last claim event considered (turned into a delivery or not). */
  @Property({ type: new BigIntType('string') })
  cursor!: string;

  @Property({ type: 'datetime', nullable: true })
  leasedUntil?: Date | null;

  @Property({ type: 'string', length: 64, nullable: true })
  leaseHolder?: string | null;

  /** When the oldest pending delivery is due; null when none is pending. */
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => GraphQLDateTime, {
    description: 'When it was created: it receives the events committed since.',
  })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, {
    description: 'When the URL, event types, description, status or secret last changed.',
  })
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/** The event types an endpoint asked for; empty: every type. */
export function eventTypesOf(endpoint: Pick<WebhookEndpoint, 'eventTypeList'>): ClaimEventType[] {
  if (endpoint.eventTypeList === '') return [];
  return endpoint.eventTypeList.split(',').flatMap((name) => claimEventTypeNamed(name) ?? []);
}
