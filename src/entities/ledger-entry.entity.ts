import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { EntrySide } from './ledger';
import { LedgerAccount } from './ledger-account.entity';
import { LedgerTransfer } from './ledger-transfer.entity';

/** One side of a transfer on one account. Never updated or deleted. */
@Entity({ tableName: 'ledger_entry' })
export class LedgerEntry {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => LedgerTransfer, { index: true })
  transfer!: LedgerTransfer;

  @ManyToOne(() => LedgerAccount, { index: true })
  account!: LedgerAccount;

  @Enum({ items: () => EntrySide, type: 'string', length: 10 })
  side!: EntrySide;

  /** Always positive; the side says which way it moves. */
  @Property({ type: new BigIntType('bigint') })
  amountMinor!: bigint;

  @Property({ type: 'string', length: 3 })
  currency!: string;
}
