import type { EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
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

/** An INSERT of `rows` into `entity`'s table, values inlined as the ORM writes them; null for no rows. */
export function insertStatement<Entity extends object>(em: EntityManager, entity: EntityName<Entity>, rows: readonly RequiredEntityData<Entity>[]): string | null {
  // Both supported databases are SQL: the query builder is always there.
  return rows.length === 0 ? null : (em as SqlEntityManager).createQueryBuilder(entity).insert([...rows]).getFormattedQuery();
}
