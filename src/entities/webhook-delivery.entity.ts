import {
  BigIntType,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  /** Not delivered yet: waiting for its turn or for its next attempt. */
  PENDING = 'PENDING',
  /** The endpoint answered 2xx. */
  SUCCEEDED = 'SUCCEEDED',
  /** Every attempt within the retry window failed; the endpoint's next delivery went ahead. */
  FAILED = 'FAILED',
}

/** The body type of the delivery `sendTestWebhook` makes. */
export const TEST_WEBHOOK_TYPE = 'webhook.test';

/**
 * One message to one endpoint, with its attempts so far. The body is written once, when the
 * delivery is made, so every attempt (and a redelivery) sends the same bytes under the same
 * `webhook-id`; only the timestamp and signatures are made per attempt. An endpoint's deliveries
 * go out strictly in id order: the oldest pending one holds back the others until it succeeds or
 * fails for good.
 */
@ObjectType('WebhookDelivery', {
  implements: Node,
  description: 'One message to a webhook endpoint, and how its attempts went.',
})
@Entity({ tableName: 'webhook_delivery' })
// The endpoint's oldest pending delivery (its head), and its listing newest first.
@Index({ properties: ['endpoint', 'status', 'id'] })
@Index({ properties: ['endpoint', 'id'] })
export class WebhookDelivery {
  [OptionalProps]?:
    | 'status'
    | 'attempts'
    | 'firstAttemptAt'
    | 'lastAttemptAt'
    | 'lastResponseStatus'
    | 'lastLatencyMs'
    | 'lastResponseExcerpt'
    | 'lastError'
    | 'completedAt'
    | 'eventPosition';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint!: WebhookEndpoint;

  @Field(() => String, {
    description:
      'The `webhook-id` header: the same for every attempt and redelivery of one event to one endpoint; receivers de-duplicate by it.',
  })
  @Property({ type: 'string', length: 100 })
  webhookId!: string;

  @Field(() => String, { description: "The body's `type`: `claim.<ClaimEventType>`, or `webhook.test`." })
  @Property({ type: 'string', length: 60 })
  eventType!: string;

  /** The claim event's position (its cursor); null for a test delivery. */
  @Field(() => String, {
    nullable: true,
    description: "The claim event's cursor, as `claimEvents` gives it; null for a test delivery.",
  })
  @Property({ type: new BigIntType('string'), nullable: true })
  eventPosition?: string | null;

  @Field(() => String, { description: 'The JSON body sent, byte for byte.' })
  @Property({ type: 'text' })
  payload!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Waiting or retrying, delivered, or given up.' })
  @Enum({ items: () => WebhookDeliveryStatus, type: 'string', length: 20 })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer' })
  attempts: number = 0;

  @Field(() => GraphQLDateTime, {
    description:
      'When the next attempt is due (once the deliveries before it are done); past for a finished one.',
  })
  @Property({ type: 'datetime' })
  nextAttemptAt!: Date;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When its first attempt was made: the retry window runs from then.',
  })
  @Property({ type: 'datetime', nullable: true })
  firstAttemptAt?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When its last attempt was made.' })
  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The HTTP status of the last attempt's answer; null when none came (refused, timed out, unreachable).",
  })
  @Property({ type: 'integer', nullable: true })
  lastResponseStatus?: number | null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' })
  @Property({ type: 'integer', nullable: true })
  lastLatencyMs?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The start of the last answer's body (at most 1 KB).",
  })
  @Property({ type: 'text', nullable: true })
  lastResponseExcerpt?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed: the status, a timeout, a refused address, a connection error.',
  })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => GraphQLDateTime, {
    description: 'When it was made: the event was committed, or a test or redelivery asked for.',
  })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it succeeded or failed for good.' })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
