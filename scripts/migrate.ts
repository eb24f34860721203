/** Applies pending migrations to the configured database (DATABASE_URL, or the SQLite file). */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/orm';

async function main(): Promise<void> {
  const orm = await openDatabase(loadConfig());
  const executed = await orm.getMigrator().getExecutedMigrations();
  console.log(`database is at ${executed.at(-1)?.name ?? 'no migration'} (${executed.length} applied)`);
  await orm.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
