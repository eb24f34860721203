import { type EntityManager, LockMode } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Find options that lock the loaded row until the transaction ends. PostgreSQL takes a row lock;
 * SQLite has no row locks but already runs one write transaction at a time.
 */
export function lockedForUpdate(em: EntityManager): { lockMode?: LockMode } {
  return em.getPlatform() instanceof PostgreSqlPlatform ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}
