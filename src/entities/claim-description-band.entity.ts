import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Claim } from './claim.entity';

/**
 * One band of the MinHash signature of a claim's description: an index from which claims with
 * near-identical descriptions are found (see description-similarity.ts).
 */
@Entity({ tableName: 'claim_description_band' })
@Unique({ properties: ['claim', 'band'] })
export class ClaimDescriptionBand {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim)
  claim!: Claim;

  @Property({ type: 'string', length: 40, index: true })
  band!: string;
}
