/**
 * Writes schema.graphql from the code (sorted). With --check, compares instead and fails on any
 * difference, so the committed schema cannot drift from the resolvers.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildClaimgraphSchema } from '../src/server/schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', 'schema.graphql');

async function main(): Promise<void> {
  const printed = `${printSchema(await buildClaimgraphSchema())}\n`;
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (committed !== printed) {
      console.error('schema.graphql is out of date: run `npm run schema:print` and commit the result.');
      process.exit(1);
    }
    console.log('schema.graphql matches the code.');
    return;
  }
  fs.writeFileSync(SCHEMA_FILE, printed);
  console.log(`wrote ${SCHEMA_FILE}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
