/**
 * Writes the next migration for both dialects from the difference between the entities and a
 * scratch database migrated to the latest committed migration, then rewrites each dialect's index.
 * Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Dialect, MIGRATIONS_SOURCE_DIR, ormOptions } from '../src/db/orm';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/db/postgres-databases';

const exportName: Record<Dialect, string> = {
  sqlite: 'SQLITE_MIGRATIONS',
  postgresql: 'POSTGRESQL_MIGRATIONS',
};

function writeIndex(dialect: Dialect): void {
  const dir = MIGRATIONS_SOURCE_DIR[dialect];
  const names = fs
    .readdirSync(dir)
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const lines = [
    "import type { MigrationObject } from '@mikro-orm/core';",
    ...names.map((name) => `import { ${name} } from './${name}';`),
    '',
    `export const ${exportName[dialect]}: MigrationObject[] = [`,
    ...names.map((name) => `  { name: '${name}', class: ${name} },`),
    '];',
    '',
  ];
  fs.writeFileSync(path.join(dir, 'index.ts'), lines.join('\n'));
}

async function create(dialect: Dialect, name: string | undefined): Promise<void> {
  const scratch = `claimgraph_migration_${process.pid}`;
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const target =
    dialect === 'postgresql'
      ? { databaseUrl: await createPostgresDatabase(serverUrl, scratch), sqlitePath: '' }
      : { sqlitePath: path.join(os.tmpdir(), `${scratch}.sqlite`) };
  try {
    const orm = await MikroORM.init(ormOptions(target));
    try {
      await orm.getMigrator().up();
      const result = await orm
        .getMigrator()
        .createMigration(MIGRATIONS_SOURCE_DIR[dialect], false, false, name);
      console.log(result.fileName ? `${dialect}: wrote ${result.fileName}` : `${dialect}: no changes`);
    } finally {
      await orm.close(true);
    }
  } finally {
    if (dialect === 'postgresql') await dropPostgresDatabase(serverUrl, scratch);
    else fs.rmSync(target.sqlitePath, { force: true });
  }
  writeIndex(dialect);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  await create('sqlite', name);
  await create('postgresql', name);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
