import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { Claim } from './claim.entity';
import { ReviewPriority } from './screening-outcome';

export enum FraudReviewStatus {
  /** Waiting for an expert to pick it. */
  QUEUED = 'QUEUED',
  /** Picked by one expert, who alone may decide it. */
  IN_REVIEW = 'IN_REVIEW',
  DECIDED = 'DECIDED',
  /** The claim left review another way (withdrawn by the customer). */
  CANCELLED = 'CANCELLED',
}

/** What the expert found. */
export enum FraudFinding {
  VALID = 'VALID',
  UNSUBSTANTIATED = 'UNSUBSTANTIATED',
  FRIVOLOUS = 'FRIVOLOUS',
  ABUSIVE = 'ABUSIVE',
  FRAUDULENT = 'FRAUDULENT',
}

/** A claim referred by screening to an independent fraud expert, and the expert's finding. */
@ObjectType('FraudReview', {
  implements: Node,
  description: 'A referral of a claim to an independent fraud expert.',
})
@Entity({ tableName: 'fraud_review' })
@Unique({ properties: ['claim'] })
@Index({ properties: ['status', 'riskScore', 'referredAt'] })
export class FraudReview {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim)
  claim!: Claim;

  @Field(() => FraudReviewStatus)
  @Enum({ items: () => FraudReviewStatus, type: 'string', length: 20 })
  status!: FraudReviewStatus;

  @Field(() => ReviewPriority)
  @Enum({ items: () => ReviewPriority, type: 'string', length: 20 })
  priority!: ReviewPriority;

  /** Copied from the screening so that the queue orders on one table. */
  @Field(() => Int)
  @Property({ type: 'integer' })
  riskScore!: number;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  referredAt!: Date;

  /** The expert who picked the review (token subject); null while queued. */
  @Property({ type: 'string', length: 100, nullable: true, index: true })
  expertSubject?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  assignedAt?: Date | null;

  /**
   * The claim events the expert receives: from the one that recorded its pick to the last one
   * written with its finding (null while the review is open).
   */
  @Property({ type: 'integer', nullable: true })
  assignedFromSequence?: number | null;

  @Property({ type: 'integer', nullable: true })
  assignedUntilSequence?: number | null;

  @Field(() => FraudFinding, { nullable: true })
  @Enum({ items: () => FraudFinding, type: 'string', length: 20, nullable: true })
  finding?: FraudFinding | null;

  /** The expert's reasoning: for agents and the expert, never shown to the customer. */
  @Property({ type: 'text', nullable: true })
  rationale?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;
}
