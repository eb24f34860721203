import { BigIntType, Entity, Enum, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import { Claim } from './claim.entity';
import { InsuranceProvider } from './insurance-provider.entity';
import { PayerParty } from './money-party';
import { Payout } from './payout.entity';
import { Seller } from './seller.entity';

export enum RecoveryStatus {
  /** Concession to an uninsured seller: it may still prove cover until the grace period ends. */
  AWAITING_PROOF = 'AWAITING_PROOF',
  /** Owed to the marketplace. */
  OPEN = 'OPEN',
  RECOVERED = 'RECOVERED',
  /** Dropped: insurance proved in time, or the seller's defence of the product was upheld. */
  CANCELLED = 'CANCELLED',
}

/** What the marketplace seeks back from a seller or its insurer after paying a customer. */
@ObjectType('Recovery', {
  implements: Node,
  description: 'Money the marketplace seeks back after paying a claim.',
})
@Entity({ tableName: 'recovery' })
export class Recovery {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Claim, { owner: true, unique: true })
  claim!: Claim;

  @ManyToOne(() => Payout)
  payout!: Payout;

  @Field(() => PayerParty, { description: 'SELLER or INSURER.' })
  @Enum({ items: () => PayerParty, type: 'string', length: 20 })
  debtor!: PayerParty;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => InsuranceProvider, { nullable: true })
  insurer?: InsuranceProvider | null;

  @Property({ type: new BigIntType('bigint') })
  amountMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Field(() => RecoveryStatus)
  @Enum({ items: () => RecoveryStatus, type: 'string', length: 20 })
  status!: RecoveryStatus;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'End of the insurance-proof grace period.' })
  @Property({ type: 'datetime', nullable: true })
  graceEndsAt?: Date | null;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'datetime' })
  openedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;
}
