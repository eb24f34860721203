import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Role } from '../auth/role';
import { Node } from '../graphql/node.interface';
import { Claim } from './claim.entity';
import { NotificationCategory } from './notification-category';

/** Where a notification's email stands. */
export enum EmailStatus {
  /** Not to be emailed: no address, the category is muted, or no mail server is configured. */
  NONE = 'NONE',
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Gave up after repeated failures. */
  FAILED = 'FAILED',
}

/**
 * One thing a principal was told, kept in its inbox and, where it chose so, emailed. A
 * notification addressed to a role with no subject is the whole team's (agents' work waiting).
 */
@ObjectType('Notification', { implements: Node, description: 'Something a party was told, in its inbox.' })
@Entity({ tableName: 'notification' })
@Index({ properties: ['recipientRole', 'recipientSubject', 'id'] })
@Index({ properties: ['emailStatus', 'emailNextAttemptAt'] })
@Unique({ properties: ['sourceKey'] })
export class Notification {
  [OptionalProps]?:
    'readAt' | 'emailTo' | 'emailAttempts' | 'emailNextAttemptAt' | 'emailSentAt' | 'emailError';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => Role, type: 'string', length: 20 })
  recipientRole!: Role;

  /** The recipient's subject; null: every principal of the role. */
  @Property({ type: 'string', length: 100, nullable: true })
  recipientSubject!: string | null;

  @Field(() => NotificationCategory)
  @Enum({ items: () => NotificationCategory, type: 'string', length: 40 })
  category!: NotificationCategory;

  /** The claim it is about, if any. */
  @ManyToOne(() => Claim, { nullable: true })
  claim?: Claim | null;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => String, { description: 'In words written for the recipient; never medical details.' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the recipient marked it read.' })
  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  /** What produced it (an event, a job), so that producing it again changes nothing. */
  @Property({ type: 'string', length: 200 })
  sourceKey!: string;

  @Field(() => EmailStatus)
  @Enum({ items: () => EmailStatus, type: 'string', length: 20 })
  emailStatus!: EmailStatus;

  @Property({ type: 'string', length: 320, nullable: true })
  emailTo?: string | null;

  @Property({ type: 'integer' })
  emailAttempts: number = 0;

  @Property({ type: 'datetime', nullable: true })
  emailNextAttemptAt?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  emailSentAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  emailError?: string | null;
}
