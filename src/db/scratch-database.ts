import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from './orm';
import { createPostgresDatabase, dropPostgresDatabase } from './postgres-databases';

export interface ScratchDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * A new database for tests and benchmarks, removed again by `drop`: a database named
 * `<prefix>_<pid>_<random>` next to the one `serverUrl` names on PostgreSQL (empty, or a copy of
 * `postgresTemplate`), or an empty SQLite file in a temporary directory when there is no server URL.
 */
export async function createScratchDatabase(
  prefix: string,
  serverUrl: string | undefined,
  postgresTemplate?: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (serverUrl) {
    const databaseUrl = await createPostgresDatabase(serverUrl, name, postgresTemplate);
    return { target: { databaseUrl, sqlitePath: '' }, drop: () => dropPostgresDatabase(serverUrl, name) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return {
    target: { sqlitePath: path.join(dir, `${name}.sqlite`) },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
