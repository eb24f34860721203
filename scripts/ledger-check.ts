/**
 * Verifies the ledger's invariants on the configured database (DATABASE_URL, or the SQLite file):
 * debits = credits per currency and per transfer, each balance = the sum of its entries, no
 * transfer id twice. Prints every breach and exits non-zero when there is one.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/orm';
import { checkLedger } from '../src/services/money/ledger-check';

async function main(): Promise<void> {
  const orm = await openDatabase(loadConfig());
  try {
    const breaches = await checkLedger(orm.em.fork());
    for (const breach of breaches) console.error(`BREACH ${breach.rule}: ${breach.detail}`);
    console.log(
      breaches.length === 0 ? 'ledger: all invariants hold' : `ledger: ${breaches.length} breach(es)`,
    );
    process.exitCode = breaches.length === 0 ? 0 : 1;
  } finally {
    await orm.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
