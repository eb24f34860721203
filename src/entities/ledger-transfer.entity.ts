import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Claim } from './claim.entity';

/**
 * One balanced money movement. Its id is chosen by the caller from what it records (for example
 * `payout:12`), so the same movement can never be posted twice. Never updated or deleted.
 */
@Entity({ tableName: 'ledger_transfer' })
export class LedgerTransfer {
  @PrimaryKey({ type: 'string', length: 100 })
  id!: string;

  @Property({ type: 'string', length: 60 })
  kind!: string;

  @ManyToOne(() => Claim, { nullable: true, index: true })
  claim?: Claim | null;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'datetime' })
  postedAt!: Date;
}
