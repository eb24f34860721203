import type { EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Runs complete SQL statements (values already inlined, as the ORM writes them) in `em`'s
 * transaction, in order. PostgreSQL receives them as one multi-statement query, in one round trip
 * instead of one each; SQLite runs in-process, where a round trip costs nothing, one by one.
 */
export async function runStatementsTogether(
  em: EntityManager,
  statements: readonly string[],
  transaction: unknown = em.getTransactionContext(),
): Promise<void> {
  if (statements.length === 0) return;
  const connection = em.getConnection();
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    await connection.execute(statements.join(';\n'), [], 'run', transaction);
    return;
  }
  for (const statement of statements) await connection.execute(statement, [], 'run', transaction);
}

/** An INSERT of `rows` into `entity`'s table, values inlined as the ORM writes them; null for no rows. */
export function insertStatement<Entity extends object>(em: EntityManager, entity: EntityName<Entity>, rows: readonly RequiredEntityData<Entity>[]): string | null {
  // Both supported databases are SQL: the query builder is always there.
  return rows.length === 0 ? null : (em as SqlEntityManager).createQueryBuilder(entity).insert([...rows]).getFormattedQuery();
}
