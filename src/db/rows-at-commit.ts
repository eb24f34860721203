import type {
  EntityManager,
  EntityName,
  EventSubscriber,
  RequiredEntityData,
  TransactionEventArgs,
} from '@mikro-orm/core';
import { insertStatement, runStatementsTogether } from './statements-together';

/** A row to write, made when its transaction commits. */
type RowAtCommit = () => RequiredEntityData<object>;

/** Per transaction, the rows staged for each table, tables in the order they were first staged. */
const staged = new WeakMap<object, Map<EntityName<object>, RowAtCommit[]>>();

/**
 * Stages a row of `entity` to be inserted just before `em`'s transaction commits, as a plain row
 * rather than an entity: for append-only records that nothing reads back in the transaction that
 * makes them (a screening's record, a ledger transfer and its entries). Through the unit of work
 * each would be an entity to create, track and flush; staged, a transaction's rows of one table
 * are one INSERT and all of them one round trip. The row is made at commit, after the unit of work
 * is flushed, so it may name entities whose ids are drawn by that flush. Tables are written in the
 * order they were first staged: stage a row before the rows that refer to it.
 */
export function insertRowAtCommit<Entity extends object>(
  em: EntityManager,
  entity: EntityName<Entity>,
  row: () => RequiredEntityData<Entity>,
): void {
  const transaction = em.getTransactionContext<object>();
  if (!em.isInTransaction() || !transaction)
    throw new Error('rows at commit must be staged inside an explicit transaction');
  // Only a top-level commit runs the hook that writes them.
  if ('savepointName' in transaction)
    throw new Error('rows at commit must be staged in a top-level transaction');
  let tables = staged.get(transaction);
  if (!tables) staged.set(transaction, (tables = new Map()));
  const rows = tables.get(entity as EntityName<object>) ?? [];
  rows.push(row);
  tables.set(entity as EntityName<object>, rows);
}

/** Writes each transaction's staged rows as it commits (nothing, if it rolls back). */
export class RowsAtCommitWriter implements EventSubscriber {
  async beforeTransactionCommit({ em, transaction }: TransactionEventArgs): Promise<void> {
    const tables = transaction ? staged.get(transaction as object) : undefined;
    if (!tables) return;
    staged.delete(transaction as object);
    const statements = [...tables].map(([entity, rows]) =>
      insertStatement(
        em,
        entity,
        rows.map((row) => row()),
      )!,
    );
    await runStatementsTogether(em, statements, transaction);
  }
}
