import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { ActorRole } from './claim-event-type';
import { Claim } from './claim.entity';

/** A decision on a claim, and who took it. Each decision is recorded once and never changed. */
export enum ClaimDecisionKind {
  ROUTED_TO_CONCESSION = 'ROUTED_TO_CONCESSION',
  ROUTED_TO_SELLER = 'ROUTED_TO_SELLER',
  ACCEPTED_BY_SELLER = 'ACCEPTED_BY_SELLER',
  ACCEPTED_BY_INSURER = 'ACCEPTED_BY_INSURER',
  REJECTED_BY_SELLER = 'REJECTED_BY_SELLER',
  REJECTED_BY_INSURER = 'REJECTED_BY_INSURER',
  STEPPED_IN_AFTER_SILENCE = 'STEPPED_IN_AFTER_SILENCE',
  STEPPED_IN_AFTER_REVIEW = 'STEPPED_IN_AFTER_REVIEW',
  REJECTION_UPHELD = 'REJECTION_UPHELD',
  APPEALED = 'APPEALED',
  WITHDRAWN = 'WITHDRAWN',
  DEFENCE_UPHELD = 'DEFENCE_UPHELD',
  DEFENCE_REJECTED = 'DEFENCE_REJECTED',
  REFERRED_TO_EXPERT = 'REFERRED_TO_EXPERT',
  DENIED_IN_SCREENING = 'DENIED_IN_SCREENING',
  FOUND_VALID_BY_EXPERT = 'FOUND_VALID_BY_EXPERT',
  DENIED_BY_EXPERT = 'DENIED_BY_EXPERT',
}

@ObjectType('ClaimDecision', {
  implements: Node,
  description: 'A decision on a claim: what, by whom, when and why.',
})
@Entity({ tableName: 'claim_decision' })
export class ClaimDecision {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim, { index: true })
  claim!: Claim;

  @Field(() => ClaimDecisionKind)
  @Enum({ items: () => ClaimDecisionKind, type: 'string', length: 40 })
  kind!: ClaimDecisionKind;

  @Field(() => ActorRole)
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  decidedByRole!: ActorRole;

  @Property({ type: 'string', length: 100, nullable: true })
  decidedBySubject?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  decidedAt!: Date;
}
