import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { ActorRole } from './claim-event-type';
import { Claim } from './claim.entity';
import { EvidenceKind } from './evidence-kind';

/** One piece of evidence: a pointer to content held elsewhere, pinned by its hash. */
@Entity({ tableName: 'claim_evidence' })
@Unique({ properties: ['claim', 'contentHash'] })
export class ClaimEvidence {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim, { index: true })
  claim!: Claim;

  @Enum({ items: () => EvidenceKind, type: 'string', length: 30 })
  kind!: EvidenceKind;

  @Property({ type: 'text' })
  description!: string;

  /** `sha256:` followed by 64 lowercase hex digits. */
  @Property({ type: 'string', length: 71, index: true })
  contentHash!: string;

  @Property({ type: 'text' })
  uri!: string;

  @Property({ type: 'datetime' })
  addedAt!: Date;

  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  addedByRole!: ActorRole;
}
