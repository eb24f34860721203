import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/orm';
import { createScratchDatabase } from '../../src/db/scratch-database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** On PostgreSQL: a database migrated once for the whole run, copied for each test database. */
    postgresTemplate?: string;
    /** A directory for the run's temporary files, removed when the run ends. */
    scratchDirectory: string;
  }
}

/**
 * Makes the run's scratch directory and, on PostgreSQL, migrates one template database before the
 * run: each test database is then a copy of it (CREATE DATABASE … TEMPLATE), instead of an empty
 * database migrated again and again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratchDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgraph-test-'));
  project.provide('scratchDirectory', scratchDirectory);
  const removeScratch = () => fs.rmSync(scratchDirectory, { recursive: true, force: true });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return async () => removeScratch();
  const template = await createScratchDatabase('claimgraph_template', serverUrl);
  const orm = await openDatabase(template.target);
  // A template may have no session open while it is copied.
  await orm.close(true);
  project.provide('postgresTemplate', new URL(template.target.databaseUrl!).pathname.slice(1));
  return async () => {
    await template.drop();
    removeScratch();
  };
}
