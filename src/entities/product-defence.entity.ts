import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { ActorRole } from './claim-event-type';
import { Claim } from './claim.entity';

export enum DefenceStatus {
  SUBMITTED = 'SUBMITTED',
  /** The product was not defective: any recovery is dropped; the customer keeps the payout. */
  UPHELD = 'UPHELD',
  REJECTED = 'REJECTED',
}

/** A seller's (or its insurer's) case that the product was not defective, after the customer was paid. */
@ObjectType('ProductDefence', {
  implements: Node,
  description: "A seller's defence of its product after the customer was paid.",
})
@Entity({ tableName: 'product_defence' })
export class ProductDefence {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Claim, { index: true })
  claim!: Claim;

  @Field(() => ActorRole)
  @Enum({ items: () => ActorRole, type: 'string', length: 20 })
  submittedByRole!: ActorRole;

  @Field(() => String)
  @Property({ type: 'text' })
  statement!: string;

  @Field(() => DefenceStatus)
  @Enum({ items: () => DefenceStatus, type: 'string', length: 20 })
  status!: DefenceStatus;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  submittedAt!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;
}
