import type { EntityManager } from '@mikro-orm/core';
import { insertRowAtCommit } from '../../db/rows-at-commit';
import { lockedForUpdate } from '../../db/row-lock';
import type { Claim } from '../../entities/claim.entity';
import { EntrySide, LedgerAccountCode } from '../../entities/ledger';
import { LedgerAccount } from '../../entities/ledger-account.entity';
import { LedgerEntry } from '../../entities/ledger-entry.entity';
import { LedgerTransfer } from '../../entities/ledger-transfer.entity';

export interface Posting {
  /** Unique id of the movement, derived from what it records, e.g. `payout:12`. */
  transferId: string;
  kind: string;
  claim?: Claim | null;
  currency: string;
  amountMinor: bigint;
  debit: LedgerAccountCode;
  credit: LedgerAccountCode;
  at: Date;
}

/**
 * Double-entry postings. Each transfer debits one account and credits another by the same amount,
 * so debits equal credits per currency by construction. Accounts are locked in a fixed order
 * (by code) before their balances move, so concurrent postings cannot deadlock. The transfer id's
 * primary key stops a movement from being posted twice.
 */
export class LedgerService {
  async post(em: EntityManager, posting: Posting): Promise<void> {
    if (posting.amountMinor <= 0n) throw new Error(`ledger amounts must be positive (${posting.transferId})`);
    if (posting.debit === posting.credit)
      throw new Error(`a transfer needs two accounts (${posting.transferId})`);
    // The transfer and its entries are written as the transaction commits, the transfer first.
    insertRowAtCommit(em, LedgerTransfer, () => ({
      id: posting.transferId,
      kind: posting.kind,
      claim: posting.claim?.id ?? null,
      currency: posting.currency,
      postedAt: posting.at,
    }));
    const sides = [
      { code: posting.debit, side: EntrySide.DEBIT },
      { code: posting.credit, side: EntrySide.CREDIT },
    ].sort((a, b) => a.code.localeCompare(b.code));
    // Both accounts are locked, in code order, before either balance moves: the locking read
    // refreshes the account, and would drop a balance changed but not yet written.
    const locked = [];
    for (const { code, side } of sides)
      locked.push({ account: await this.lockAccount(em, code, posting.currency), side });
    for (const { account, side } of locked) {
      account.balanceMinor += side === EntrySide.DEBIT ? posting.amountMinor : -posting.amountMinor;
      insertRowAtCommit(em, LedgerEntry, () => ({
        transfer: posting.transferId,
        account: account.id,
        side,
        amountMinor: posting.amountMinor,
        currency: posting.currency,
      }));
    }
  }

  /**
   * Accounts already locked by an entity manager's current transaction: a lock holds until the
   * transaction ends, so many postings in one transaction (a batch of screened claims) lock each
   * account once.
   */
  private readonly locked = new WeakMap<
    EntityManager,
    { transaction: object; accounts: Map<string, LedgerAccount> }
  >();

  private async lockAccount(
    em: EntityManager,
    code: LedgerAccountCode,
    currency: string,
  ): Promise<LedgerAccount> {
    const transaction = em.getTransactionContext<object>();
    if (!transaction) return this.readAndLock(em, code, currency);
    let held = this.locked.get(em);
    if (held?.transaction !== transaction) this.locked.set(em, (held = { transaction, accounts: new Map() }));
    const key = `${code}:${currency}`;
    let account = held.accounts.get(key);
    if (!account) held.accounts.set(key, (account = await this.readAndLock(em, code, currency)));
    return account;
  }

  private async readAndLock(
    em: EntityManager,
    code: LedgerAccountCode,
    currency: string,
  ): Promise<LedgerAccount> {
    const existing = await em.findOne(LedgerAccount, { code, currency }, lockedForUpdate(em));
    if (existing) return existing;
    // Accounts are made on first use; the unique (code, currency) key settles a race to make one.
    await em
      .getConnection()
      .execute(
        `insert into ledger_account (code, currency, balance_minor) values (?, ?, 0) on conflict (code, currency) do nothing`,
        [code, currency],
        'run',
        em.getTransactionContext(),
      );
    return em.findOneOrFail(LedgerAccount, { code, currency }, lockedForUpdate(em));
  }
}
