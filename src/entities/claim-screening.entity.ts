import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { Claim } from './claim.entity';
import { ReviewPriority, ScreeningOutcome } from './screening-outcome';
import { ScreeningSignal } from './screening-signal';

/** The automated screening of one claim: its risk, the signals behind it and the policy used. */
@ObjectType('ClaimScreening', {
  description:
    "The automated fraud and abuse screening of a claim. Agents and the claim's fraud expert only.",
})
@Entity({ tableName: 'claim_screening' })
@Unique({ properties: ['claim'] })
export class ClaimScreening {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim)
  claim!: Claim;

  @Field(() => Int, { description: '0 (no sign of risk) to 100.' })
  @Property({ type: 'integer' })
  riskScore!: number;

  @Field(() => ScreeningOutcome)
  @Enum({ items: () => ScreeningOutcome, type: 'string', length: 20 })
  outcome!: ScreeningOutcome;

  @Field(() => ReviewPriority, {
    nullable: true,
    description: 'For referrals: how soon an expert should look.',
  })
  @Enum({ items: () => ReviewPriority, type: 'string', length: 20, nullable: true })
  priority?: ReviewPriority | null;

  @Field(() => [ScreeningSignal])
  @Property({ type: 'json' })
  signals!: ScreeningSignal[];

  @Field(() => String, { description: 'Version of the screening policy used.' })
  @Property({ type: 'string', length: 100 })
  policyVersion!: string;

  @Field(() => String, { description: 'sha256 of the policy used: the exact thresholds and weights.' })
  @Property({ type: 'string', length: 71 })
  policyDigest!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  screenedAt!: Date;
}
