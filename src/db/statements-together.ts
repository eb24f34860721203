import type { Connection, DatabaseDriver, EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Runs complete SQL statements (values already inlined, as the ORM writes them) in `em`'s
 * transaction, in order. PostgreSQL receives them as one multi-statement query, in one round trip
 * instead of one each; SQLite runs in-process, where a round trip costs nothing, one by one.
 * Answers the rows the last statement returned.
 */
export async function runStatementsTogether(
  em: EntityManager,
  statements: readonly string[],
  transaction: unknown = em.getTransactionContext(),
): Promise<Record<string, unknown>[]> {
  if (statements.length === 0) return [];
  const connection = em.getConnection();
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    const rows = await connection.execute<Record<string, unknown>[] | Record<string, unknown>[][]>(statements.join(';\n'), [], 'all', transaction);
    // One statement answers its rows; several, the rows of each.
    return statements.length === 1 ? (rows as Record<string, unknown>[]) : ((rows as Record<string, unknown>[][]).at(-1) ?? []);
  }
  let rows: Record<string, unknown>[] = [];
  for (const statement of statements) rows = await connection.execute<Record<string, unknown>[]>(statement, [], 'all', transaction);
  return rows;
}

/**
 * An INSERT of `rows` into `entity`'s table, values inlined as the ORM writes them, answering the
 * new rows' ids; null for no rows. The ORM maps each row to its columns and converts and quotes
 * each value, as its query builder does; the statement's text is put together here, since the
 * query builder's generic compilation of a many-row insert took about a tenth of a filing's CPU
 * (twenty band rows a claim). Relations are given by id; a property a row leaves out is written
 * as NULL, not as a column default.
 */
export function insertStatement<Entity extends object>(em: EntityManager, entity: EntityName<Entity>, rows: readonly RequiredEntityData<Entity>[]): string | null {
  if (rows.length === 0) return null;
  const meta = em.getMetadata().get<Entity>(entity);
  const platform = em.getPlatform();
  const driver = em.getDriver() as unknown as DatabaseDriver<Connection>;
  const mapped = rows.map((row) => driver.mapDataToFieldNames(row, true, meta.properties, true));
  const columns = [...new Set(mapped.flatMap((row) => Object.keys(row)))];
  const values = mapped.map((row) => `(${columns.map((column) => platform.quoteValue(row[column] ?? null)).join(', ')})`);
  const ids = meta.primaryKeys.map((key) => platform.quoteIdentifier(meta.properties[key].fieldNames[0]!));
  return `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.map((column) => platform.quoteIdentifier(column)).join(', ')}) values ${values.join(', ')}`
    + (platform.usesReturningStatement() ? ` returning ${ids.join(', ')}` : '');
}
