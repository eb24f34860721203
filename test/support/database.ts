import { inject } from 'vitest';
import type { Dialect } from '../../src/db/orm';
import { createScratchDatabase as createDatabase, type ScratchDatabase } from '../../src/db/scratch-database';

/** PostgreSQL when DATABASE_URL is set (the suite's second run in CI), SQLite otherwise. */
export const TEST_DIALECT: Dialect = process.env.DATABASE_URL ? 'postgresql' : 'sqlite';
export const onPostgres = TEST_DIALECT === 'postgresql';

export type { ScratchDatabase };

/**
 * A new database of the suite's dialect, for one test file or test; `drop` removes it. On
 * PostgreSQL it is a copy of the run's migrated template (see global-setup.ts).
 */
export function createScratchDatabase(): Promise<ScratchDatabase> {
  return createDatabase('claimgraph_test', process.env.DATABASE_URL, inject('postgresTemplate'));
}
