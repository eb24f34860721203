import { BigIntType, Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { LedgerAccountCode } from './ledger';

/** One account per code and currency. `balanceMinor` always equals the sum of its entries. */
@Entity({ tableName: 'ledger_account' })
@Unique({ properties: ['code', 'currency'] })
export class LedgerAccount {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => LedgerAccountCode, type: 'string', length: 40 })
  code!: LedgerAccountCode;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** Debits minus credits. */
  @Property({ type: new BigIntType('bigint') })
  balanceMinor!: bigint;
}
