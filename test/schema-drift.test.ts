import { printSchema } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormOptions } from '../src/db/orm';
import { buildClaimgraphSchema } from '../src/server/schema';
import { createScratchDatabase, onPostgres } from './support/database';
import { startTestServer, type TestServer } from './support/test-server';

let t: TestServer;

/** Tables with their columns (name, type, nullability, default, key) and index definitions. */
async function describeSqlite(orm: MikroORM): Promise<Record<string, unknown>> {
  const connection = orm.em.getConnection();
  const tables = await connection.execute<{ name: string }[]>(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'mikro_orm_migrations' order by name",
  );
  const description: Record<string, unknown> = {};
  for (const { name } of tables) {
    // Added columns come last in a migrated table: compare by name, not position.
    const tableInfo: { cid: number; name: string }[] = await connection.execute(
      `pragma table_info('${name}')`,
    );
    const columns = tableInfo
      .map(({ cid: _position, ...column }) => column)
      .sort((a, b) => a.name.localeCompare(b.name));
    const indexes = await connection.execute<{ name: string; unique: number }[]>(
      `pragma index_list('${name}')`,
    );
    const indexColumns: Record<string, unknown> = {};
    for (const index of indexes) {
      const indexed: { cid: number }[] = await connection.execute(`pragma index_info('${index.name}')`);
      indexColumns[index.name] = {
        unique: index.unique,
        columns: indexed.map(({ cid: _position, ...column }) => column),
      };
    }
    const keys: { id: number; from: string }[] = await connection.execute(
      `pragma foreign_key_list('${name}')`,
    );
    const foreignKeys = keys
      .map(({ id: _position, ...key }) => key)
      .sort((a, b) => a.from.localeCompare(b.from));
    description[name] = { columns, indexes: indexColumns, foreignKeys };
  }
  return description;
}

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.stop();
});

describe('schema and migrations', () => {
  it('the committed schema.graphql is exactly what the code builds (sorted)', async () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(`${printSchema(await buildClaimgraphSchema())}\n`).toBe(committed);
  });

  it('no migration is pending after start-up', async () => {
    expect(await t.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it.runIf(onPostgres)(
    'the committed migrations produce exactly the schema the entities describe (PostgreSQL)',
    async () => {
      expect((await t.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    },
  );

  // SQLite's schema comparator proposes table rebuilds even for identical tables, so compare the
  // migrated database with one created straight from the entities, column by column.
  it.runIf(!onPostgres)(
    'the committed migrations produce exactly the schema the entities describe (SQLite)',
    async () => {
      const scratch = await createScratchDatabase();
      const fromEntities = await MikroORM.init(ormOptions(scratch.target));
      try {
        await fromEntities.schema.createSchema();
        expect(await describeSqlite(t.orm)).toEqual(await describeSqlite(fromEntities));
      } finally {
        await fromEntities.close(true);
        await scratch.drop();
      }
    },
  );
});
