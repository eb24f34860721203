import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { GraphQLDateTime } from 'graphql-scalars';
import { ActorRole } from './claim-event-type';
import { Claim } from './claim.entity';
import { EvidenceKind } from './evidence-kind';

/** One piece of evidence: a pointer to content held elsewhere, pinned by its hash. */
@ObjectType('ClaimEvidence', {
  implements: Node,
  description: 'A piece of evidence: content held elsewhere, pinned by its hash.',
})
@Entity({ tableName: 'claim_evidence' })
@Unique({ properties: ['claim', 'contentHash'] })
export class ClaimEvidence {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim, { index: true })
  claim!: Claim;

  @Field(() => EvidenceKind)
  @Enum({ items: () => EvidenceKind, type: 'string', length: 30 })
  kind!: EvidenceKind;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;

  /** `sha256:` followed by 64 lowercase hex digits. */
  @Field(() => String)
  @Property({ type: 'string', length: 71, index: true })
  contentHash!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  uri!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  addedAt!: Date;

  @Field(() => ActorRole)
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  addedByRole!: ActorRole;
}
