import 'reflect-metadata';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/orm';
import { createScratchDatabase } from '../../src/db/scratch-database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** On PostgreSQL: a database migrated once for the whole run, copied for each test database. */
    postgresTemplate?: string;
  }
}

/**
 * On PostgreSQL, migrates one template database before the run: each test database is then a
 * copy of it (CREATE DATABASE … TEMPLATE), instead of an empty database migrated again and again.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return;
  const template = await createScratchDatabase('claimgraph_template', serverUrl);
  const orm = await openDatabase(template.target);
  // A template may have no session open while it is copied.
  await orm.close(true);
  project.provide('postgresTemplate', new URL(template.target.databaseUrl!).pathname.slice(1));
  return () => template.drop();
}
