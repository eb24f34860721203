import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { similarityBands } from '../src/services/screening/description-similarity';
import { FileClaimDocument } from './__generated__/graphql';
import { claimInput, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Migrations that reshape tables holding data keep every row, on the way up and back down. Each
 * test reverts the database to just before its migration and applies everything again.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.stop();
});

async function bandRows(): Promise<string[]> {
  const rows: { claim_id: number; band: string }[] = await t.orm.em
    .getConnection()
    .execute('select claim_id, band from claim_description_band');
  return rows.map((row) => `${row.claim_id} ${row.band}`).sort();
}

describe('migrations that move data', () => {
  it('keying description bands by band keeps every band row, both ways', async () => {
    const { orders } = await seedMarketplace(t);
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const descriptions = [
      'The heater overheated after ten minutes on its lowest setting and scorched the wooden floor beneath it.',
      'The charger cable melted at the plug while the phone was charging overnight on the bedside table.',
    ];
    for (const [order, description] of [
      [orders['ord-a1'], descriptions[0]],
      [orders['ord-a2'], descriptions[1]],
    ] as const) {
      const { fileClaim } = await customer.data(FileClaimDocument, {
        input: claimInput(order.id, { description }),
      });
      expect(fileClaim.userErrors).toEqual([]);
    }
    const written = await bandRows();
    expect(written).toHaveLength(descriptions.flatMap(similarityBands).length);

    const migrator = t.orm.getMigrator();
    await migrator.down({ to: 'Migration20261203181638_DescriptionBandsKeyedByBand' });
    expect(await bandRows()).toEqual(written);
    const [numbered] = await t.orm.em
      .getConnection()
      .execute<{ id: number }[]>('select id from claim_description_band');
    expect(numbered!.id).toBeGreaterThan(0);

    await migrator.up();
    expect(await bandRows()).toEqual(written);
    expect(await migrator.getPendingMigrations()).toEqual([]);
  });
});
