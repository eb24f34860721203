import { MikroORM, type Options } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import fs from 'node:fs';
import path from 'node:path';
import { ENTITIES } from '../entities';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { RowsAtCommitWriter } from './rows-at-commit';
import { ClaimgraphPostgreSqlDriver } from './postgresql-driver';

export type Dialect = 'sqlite' | 'postgresql';

export interface DatabaseTarget {
  /** PostgreSQL connection string; when absent, the SQLite file at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Largest PostgreSQL connection pool (default 10). */
  poolMax?: number;
}

export function dialectOf(target: DatabaseTarget): Dialect {
  return target.databaseUrl ? 'postgresql' : 'sqlite';
}

/** Where `npm run db:migration:create` writes each dialect's migrations. */
export const MIGRATIONS_SOURCE_DIR: Record<Dialect, string> = {
  sqlite: path.join('src', 'db', 'migrations', 'sqlite'),
  postgresql: path.join('src', 'db', 'migrations', 'postgresql'),
};

export function ormOptions(target: DatabaseTarget): Options {
  const dialect = dialectOf(target);
  const common: Options = {
    entities: ENTITIES,
    extensions: [Migrator],
    // Registered with every ORM, before anything a server adds: staged rows are written before a
    // commit's claim events, which must come last (see claim-event-sequencer.ts).
    subscribers: [new RowsAtCommitWriter()],
    // Entities are loaded explicitly per request through DataLoaders; keep the ORM from guessing.
    forceUndefined: false,
    // Changes are written when their transaction commits (or on an explicit flush), never before a
    // query. Under the default ("auto"), every loaded entity got an accessor per column to note
    // that it was touched: loading a claim cost a quarter to a third more CPU, and the worker loads
    // dozens a batch. No code here reads its own unwritten changes back through a query.
    flushMode: 'commit',
    allowGlobalContext: false,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: MIGRATIONS_SOURCE_DIR[dialect],
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
      migrationsList: dialect === 'postgresql' ? POSTGRESQL_MIGRATIONS : SQLITE_MIGRATIONS,
    },
  };
  if (dialect === 'postgresql') {
    return {
      ...common,
      driver: ClaimgraphPostgreSqlDriver,
      clientUrl: target.databaseUrl,
      pool: { min: 0, max: target.poolMax ?? 10 },
    };
  }
  fs.mkdirSync(path.dirname(target.sqlitePath), { recursive: true });
  return {
    ...common,
    driver: LibSqlDriver,
    dbName: target.sqlitePath,
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(target));
  await orm.getMigrator().up();
  return orm;
}
