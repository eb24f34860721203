import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { ActorRole } from './claim-event-type';
import { Claim } from './claim.entity';

/** Medical information of a claim that is read under audit. */
export enum SensitiveDataKind {
  INJURY_DETAILS = 'INJURY_DETAILS',
  MEDICAL_RECORD = 'MEDICAL_RECORD',
}

/**
 * One read of a claim's medical information by someone other than the claimant: who, when, which
 * claim. Written before the data is returned, so no read goes unrecorded; never changed.
 */
@ObjectType('SensitiveDataAccess', {
  description: "A read of a claim's medical information by someone other than the claimant.",
})
@Entity({ tableName: 'sensitive_data_access' })
@Index({ properties: ['claim', 'accessedAt'] })
@Index({ properties: ['accessedAt'] })
export class SensitiveDataAccess {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim)
  claim!: Claim;

  @Field(() => SensitiveDataKind)
  @Enum({ items: () => SensitiveDataKind, type: 'string', length: 30 })
  kind!: SensitiveDataKind;

  @Field(() => ActorRole, { description: 'The role of the token that read it.' })
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  viewerRole!: ActorRole;

  @Field(() => String, { description: 'The subject of the token that read it.' })
  @Property({ type: 'string', length: 100 })
  viewerSubject!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  accessedAt!: Date;
}
