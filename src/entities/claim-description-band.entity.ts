import { Entity, ManyToOne, PrimaryKey } from '@mikro-orm/core';
import { Claim } from './claim.entity';

/**
 * One band of the MinHash signature of a claim's description: an index from which claims with
 * near-identical descriptions are found (see description-similarity.ts).
 *
 * Twenty rows a claim are written with every filing, so the table is kept to what the lookup needs:
 * one index, by band, whose key also holds the claim. It is derived data, written only by the
 * filing of its claim in the same transaction and read only joined with `claim`, so it declares
 * no foreign-key constraint: the per-row check cost a filing more than the rows themselves, and
 * no row can lose its claim (claims are never deleted).
 */
@Entity({ tableName: 'claim_description_band' })
export class ClaimDescriptionBand {
  @PrimaryKey({ type: 'string', length: 40 })
  band!: string;

  @ManyToOne(() => Claim, { primary: true, createForeignKeyConstraint: false, index: false })
  claim!: Claim;
}
