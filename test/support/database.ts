import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget, Dialect } from '../../src/db/orm';
import { createPostgresDatabase, dropPostgresDatabase } from '../../src/db/postgres-databases';

/** PostgreSQL when DATABASE_URL is set (the suite's second run in CI), SQLite otherwise. */
export const TEST_DIALECT: Dialect = process.env.DATABASE_URL ? 'postgresql' : 'sqlite';
export const onPostgres = TEST_DIALECT === 'postgresql';

export interface ScratchDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A new, empty database of the suite's dialect, for one test file; `drop` removes it. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `claimgraph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const databaseUrl = await createPostgresDatabase(serverUrl, name);
    return { target: { databaseUrl, sqlitePath: '' }, drop: () => dropPostgresDatabase(serverUrl, name) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgraph-test-'));
  return {
    target: { sqlitePath: path.join(dir, `${name}.sqlite`) },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
