/** What a figure was measured on: the machine, Node, the libraries and the database server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@mikro-orm/core';
import { loadConfig } from '../../src/config';
import type { DatabaseTarget } from '../../src/db/orm';
import { openDatabase } from '../../src/db/orm';
import { serverEnv } from './server-env';

const LIBRARIES = [
  'graphql',
  '@apollo/server',
  'express',
  'type-graphql',
  '@mikro-orm/core',
  'pg',
  'libsql',
  'autocannon',
];

function installedVersion(name: string): string {
  const file = path.join(__dirname, '..', '..', '..', 'node_modules', name, 'package.json');
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** Runs `work` on a connection of the bench's own to `target`'s database, closed afterwards. */
export async function withBenchConnection<T>(
  target: DatabaseTarget,
  work: (connection: Connection) => Promise<T>,
): Promise<T> {
  const orm = await openDatabase(loadConfig(serverEnv(target)));
  try {
    return await work(orm.em.getConnection());
  } finally {
    await orm.close();
  }
}

function databaseVersion(target: DatabaseTarget): Promise<string> {
  return withBenchConnection(target, async (connection) => {
    if (target.databaseUrl) {
      const [row] = await connection.execute<{ server_version: string }[]>('show server_version');
      return `PostgreSQL ${row!.server_version}`;
    }
    const [row] = await connection.execute<{ version: string }[]>('select sqlite_version() as version');
    return `SQLite ${row!.version} (libsql, embedded)`;
  });
}

export async function describeEnvironment(target: DatabaseTarget): Promise<string[]> {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
    `Node ${process.version}; ${LIBRARIES.map((name) => `${name} ${installedVersion(name)}`).join(', ')}`,
    `Database: ${await databaseVersion(target)}`,
  ];
}
