import { BigIntType, Entity, Enum, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { ClaimDecision } from './claim-decision.entity';
import { Claim } from './claim.entity';
import { PayerParty } from './money-party';

export enum PayoutStatus {
  /** The payer agreed to pay; payment not yet confirmed. */
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
}

/**
 * A payment to the claimant. One per claim and one per decision, enforced by unique constraints:
 * a customer is paid once, whatever races happen above.
 */
@ObjectType('Payout', { implements: Node, description: 'A payment to the customer for a claim.' })
@Entity({ tableName: 'payout' })
export class Payout {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Claim, { owner: true, unique: true })
  claim!: Claim;

  @OneToOne(() => ClaimDecision, { owner: true, unique: true })
  decision!: ClaimDecision;

  @Field(() => PayerParty)
  @Enum({ items: () => PayerParty, type: 'string', length: 20 })
  payer!: PayerParty;

  @Property({ type: new BigIntType('bigint') })
  amountMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Field(() => PayoutStatus)
  @Enum({ items: () => PayoutStatus, type: 'string', length: 20 })
  status!: PayoutStatus;

  @Field(() => String, { nullable: true, description: "The payer's payment reference." })
  @Property({ type: 'string', length: 200, nullable: true })
  reference?: string | null;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  paidAt?: Date | null;
}
