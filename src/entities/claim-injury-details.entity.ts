import { Entity, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Claim } from './claim.entity';

/**
 * Medical information for a personal-injury claim. Kept apart from the claim row so that nothing
 * loads it by accident: it is read only through the injury-details access check.
 */
@Entity({ tableName: 'claim_injury_details' })
export class ClaimInjuryDetails {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Claim, { owner: true, unique: true })
  claim!: Claim;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'boolean' })
  medicallyTreated!: boolean;

  @Property({ type: 'text', nullable: true })
  treatmentDetails?: string | null;
}
