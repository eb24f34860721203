import { type EntityManager, LockMode } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Find options that lock the loaded row until the transaction ends. PostgreSQL takes a row lock;
 * SQLite has no row locks but already runs one write transaction at a time.
 */
export function lockedForUpdate(em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE; refresh: true } {
  // `refresh`: the row may already sit in the identity map from before the lock was granted;
  // the locked read must replace that copy with the current row.
  return em.getPlatform() instanceof PostgreSqlPlatform
    ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }
    : { refresh: true };
}

/**
 * Find options that lock the rows found and skip rows another transaction holds (PostgreSQL's
 * FOR UPDATE SKIP LOCKED), so that concurrent workers take different rows.
 */
export function skippingLocked(em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_PARTIAL_WRITE } {
  return em.getPlatform() instanceof PostgreSqlPlatform
    ? { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE }
    : {};
}

/** `skippingLocked` for a query in SQL: the clause that locks the rows it reads and skips rows another transaction holds. */
export function skippingLockedClause(em: EntityManager): string {
  return em.getPlatform() instanceof PostgreSqlPlatform ? ' for update skip locked' : '';
}

/**
 * The clause that has a query in SQL lock the rows it reads from the table under `alias` (FOR
 * UPDATE OF …) until the transaction ends, leaving the rows of the tables it joins for reading
 * unlocked.
 */
export function lockingClause(em: EntityManager, alias: string): string {
  return em.getPlatform() instanceof PostgreSqlPlatform ? ` for update of ${alias}` : '';
}
