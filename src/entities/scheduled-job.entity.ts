import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Claim } from './claim.entity';
import { InsurancePolicy } from './insurance-policy.entity';

/** Work that must happen at a time, whatever becomes of the process that scheduled it. */
export enum JobKind {
  /** Screen a filed claim and route it. */
  SCREEN_CLAIM = 'SCREEN_CLAIM',
  /** Remind the seller (and its insurer) that the response deadline approaches. */
  SELLER_RESPONSE_REMINDER = 'SELLER_RESPONSE_REMINDER',
  /** The response deadline passed: the marketplace steps in unless the seller answered. */
  SELLER_RESPONSE_DEADLINE = 'SELLER_RESPONSE_DEADLINE',
  /** The insurance-proof grace period of a concession ended: settle the pending recovery. */
  INSURANCE_GRACE_END = 'INSURANCE_GRACE_END',
  /** Cover ends soon: remind the seller, unless a later policy takes over. */
  POLICY_EXPIRY_REMINDER = 'POLICY_EXPIRY_REMINDER',
  /** The day after cover ends: record the expiry. */
  POLICY_EXPIRY = 'POLICY_EXPIRY',
}

export enum JobStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  /** Gave up after repeated failures; kept for an operator to look at. */
  FAILED = 'FAILED',
}

/**
 * Durable due work. The processor claims a due row under a row lock, runs it and marks it done in
 * the same transaction, so a crash leaves it pending and a second instance never runs it too.
 */
@Entity({ tableName: 'scheduled_job' })
@Index({ properties: ['status', 'dueAt'] })
export class ScheduledJob {
  [OptionalProps]?: 'attempts' | 'lastError' | 'completedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => JobKind, type: 'string', length: 40 })
  kind!: JobKind;

  /** The claim the work is about; null for work on a policy. */
  @ManyToOne(() => Claim, { index: true, nullable: true })
  claim?: Claim | null;

  /** The policy the work is about; null for work on a claim. */
  @ManyToOne(() => InsurancePolicy, { index: true, nullable: true })
  policy?: InsurancePolicy | null;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Enum({ items: () => JobStatus, type: 'string', length: 20 })
  status!: JobStatus;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}
