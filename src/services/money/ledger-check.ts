import type { EntityManager } from '@mikro-orm/core';

export interface LedgerBreach {
  rule: string;
  detail: string;
}

/**
 * The ledger's invariants: debits equal credits per currency and per transfer, every account
 * balance equals the sum of its entries, and no transfer id appears twice. Returns every breach.
 */
export async function checkLedger(em: EntityManager): Promise<LedgerBreach[]> {
  const connection = em.getConnection();
  const breaches: LedgerBreach[] = [];
  const perCurrency = await connection.execute<{ currency: string; debits: string; credits: string }[]>(
    `select currency,
            coalesce(sum(case when side = 'DEBIT' then amount_minor else 0 end), 0) as debits,
            coalesce(sum(case when side = 'CREDIT' then amount_minor else 0 end), 0) as credits
       from ledger_entry group by currency`,
  );
  for (const row of perCurrency) {
    if (BigInt(row.debits) !== BigInt(row.credits)) {
      breaches.push({
        rule: 'debits = credits per currency',
        detail: `${row.currency}: ${row.debits} ≠ ${row.credits}`,
      });
    }
  }
  const unbalanced = await connection.execute<{ transfer_id: string }[]>(
    `select transfer_id from ledger_entry group by transfer_id
      having sum(case when side = 'DEBIT' then amount_minor else -amount_minor end) <> 0`,
  );
  for (const row of unbalanced) breaches.push({ rule: 'each transfer balances', detail: row.transfer_id });
  const balances = await connection.execute<
    { code: string; currency: string; balance: string; sum: string }[]
  >(
    `select a.code, a.currency, a.balance_minor as balance,
            coalesce(sum(case when e.side = 'DEBIT' then e.amount_minor else -e.amount_minor end), 0) as sum
       from ledger_account a left join ledger_entry e on e.account_id = a.id
      group by a.id, a.code, a.currency, a.balance_minor`,
  );
  for (const row of balances) {
    if (BigInt(row.balance) !== BigInt(row.sum)) {
      breaches.push({
        rule: 'balance = sum of entries',
        detail: `${row.code}/${row.currency}: ${row.balance} ≠ ${row.sum}`,
      });
    }
  }
  const duplicates = await connection.execute<{ id: string }[]>(
    `select id from ledger_transfer group by id having count(*) > 1`,
  );
  for (const row of duplicates) breaches.push({ rule: 'no transfer id twice', detail: row.id });
  const orphans = await connection.execute<{ id: string }[]>(
    `select t.id from ledger_transfer t left join ledger_entry e on e.transfer_id = t.id
      group by t.id having count(e.id) <> 2`,
  );
  for (const row of orphans)
    breaches.push({ rule: 'each transfer has one debit and one credit', detail: row.id });
  return breaches;
}
