import { Entity, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Claim } from './claim.entity';

/**
 * Medical information for a personal-injury claim. Kept apart from the claim row so that nothing
 * loads it by accident: it is read only through the injury-details access check.
 */
@ObjectType('InjuryDetails', {
  description: 'Medical information of a personal-injury claim. Visible only to permitted viewers.',
})
@Entity({ tableName: 'claim_injury_details' })
export class ClaimInjuryDetails {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Claim, { owner: true, unique: true })
  claim!: Claim;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  medicallyTreated!: boolean;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  treatmentDetails?: string | null;
}
