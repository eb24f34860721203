import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';

/** Replaces the database name of a PostgreSQL connection string. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function onServer<T>(
  url: string,
  work: (execute: (sql: string) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const admin = await MikroORM.init({
    driver: PostgreSqlDriver,
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: 1 },
  });
  try {
    return await work((sql) => admin.em.getConnection().execute(sql));
  } finally {
    await admin.close(true);
  }
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name "${name}"`);
  return `"${name}"`;
}

/**
 * Creates a database next to the one `serverUrl` names (used by tests and tooling): empty, or a
 * copy of `template` (which no session may be using meanwhile).
 */
export async function createPostgresDatabase(
  serverUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  const from = template ? ` template ${quoteIdentifier(template)}` : '';
  await onServer(serverUrl, (execute) => execute(`create database ${quoteIdentifier(name)}${from}`));
  return withDatabaseName(serverUrl, name);
}

/** Drops a database made by `createPostgresDatabase`, closing whatever still uses it. */
export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (execute) =>
    execute(`drop database if exists ${quoteIdentifier(name)} with (force)`),
  );
}
