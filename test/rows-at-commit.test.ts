import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRowAtCommit } from '../src/db/rows-at-commit';
import { EntrySide, LedgerAccountCode } from '../src/entities/ledger';
import { LedgerAccount } from '../src/entities/ledger-account.entity';
import { LedgerEntry } from '../src/entities/ledger-entry.entity';
import { LedgerTransfer } from '../src/entities/ledger-transfer.entity';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Append-only rows staged with `insertRowAtCommit` are written as their transaction commits, after
 * the unit of work's flush and in the order their tables were first staged; a transaction that
 * does not commit writes none of them.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.stop();
});

async function transfersNamed(id: string) {
  const em = t.orm.em.fork();
  return {
    transfers: await em.find(LedgerTransfer, { id }),
    entries: await em.find(LedgerEntry, { transfer: id }, { populate: ['account'] }),
  };
}

describe('rows written at commit', () => {
  it('are made after the flush, so they may name rows the flush writes, and land in staging order', async () => {
    await t.orm.em.fork().transactional(async (em) => {
      // The account gets its id only when the unit of work is flushed, at the commit.
      const account = em.create(LedgerAccount, {
        code: LedgerAccountCode.CASH,
        currency: 'JPY',
        balanceMinor: 500n,
      });
      insertRowAtCommit(em, LedgerTransfer, () => ({
        id: 'test:staged',
        kind: 'TEST',
        claim: null,
        currency: 'JPY',
        postedAt: t.clock.now(),
      }));
      insertRowAtCommit(em, LedgerEntry, () => ({
        transfer: 'test:staged',
        account: account.id,
        side: EntrySide.DEBIT,
        amountMinor: 500n,
        currency: 'JPY',
      }));
      // Not written yet, as seen from inside the transaction itself.
      const [staged] = await em
        .getConnection()
        .execute<{ count: string | number }[]>(
          "select count(*) as count from ledger_transfer where id = 'test:staged'",
          [],
          'all',
          em.getTransactionContext(),
        );
      expect(Number(staged!.count)).toBe(0);
    });
    const { transfers, entries } = await transfersNamed('test:staged');
    expect(
      transfers.map((transfer) => [transfer.kind, transfer.currency, transfer.postedAt.toISOString()]),
    ).toEqual([['TEST', 'JPY', t.clock.now().toISOString()]]);
    expect(
      entries.map((entry) => [entry.account.code, entry.account.currency, entry.side, entry.amountMinor]),
    ).toEqual([[LedgerAccountCode.CASH, 'JPY', EntrySide.DEBIT, 500n]]);
  });

  it('are not written when the transaction fails after staging them', async () => {
    await expect(
      t.orm.em.fork().transactional(async (em) => {
        insertRowAtCommit(em, LedgerTransfer, () => ({
          id: 'test:rolled-back',
          kind: 'TEST',
          claim: null,
          currency: 'JPY',
          postedAt: t.clock.now(),
        }));
        throw new Error('changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect((await transfersNamed('test:rolled-back')).transfers).toEqual([]);
  });

  it('roll their transaction back when one of them cannot be written', async () => {
    await expect(
      t.orm.em.fork().transactional(async (em) => {
        em.create(LedgerAccount, { code: LedgerAccountCode.CASH, currency: 'CHF', balanceMinor: 0n });
        insertRowAtCommit(em, LedgerTransfer, () => ({
          id: 'test:twice',
          kind: 'TEST',
          claim: null,
          currency: 'CHF',
          postedAt: t.clock.now(),
        }));
        insertRowAtCommit(em, LedgerTransfer, () => ({
          id: 'test:twice',
          kind: 'TEST',
          claim: null,
          currency: 'CHF',
          postedAt: t.clock.now(),
        }));
      }),
    ).rejects.toThrow(/unique/i);
    expect((await transfersNamed('test:twice')).transfers).toEqual([]);
    expect(await t.orm.em.fork().find(LedgerAccount, { currency: 'CHF' })).toEqual([]);
  });

  it('can only be staged inside an explicit transaction', () => {
    expect(() =>
      insertRowAtCommit(t.orm.em.fork(), LedgerTransfer, () => ({
        id: 'test:outside',
        kind: 'TEST',
        claim: null,
        currency: 'JPY',
        postedAt: t.clock.now(),
      })),
    ).toThrow('rows at commit must be staged inside an explicit transaction');
  });
});
