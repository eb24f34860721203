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

describe('the positions that open and close views', () => {
  it('are derived from the events already written, and every event row survives both ways', async () => {
    const { orders } = await seedMarketplace(t);
    const customer = await t.as(Role.CUSTOMER, 'cust-b');
    for (const order of [orders['ord-b1'], orders['ord-b2']]) {
      const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(order.id) });
      expect(fileClaim.userErrors).toEqual([]);
    }
    // Screened and released: the releases sit at positions written before the migration existed.
    await t.runJobs();
    const connection = t.orm.em.getConnection();
    interface ReleasedRow {
      id: number;
      released_from_sequence: number | null;
    }
    interface EventRow {
      id: number | string;
      claim_id: number;
      sequence: number;
      type: string;
      message: string;
    }
    const released = async (): Promise<ReleasedRow[]> =>
      connection.execute('select id, released_from_sequence from claim order by id');
    const events = async () => {
      const rows: EventRow[] = await connection.execute(
        'select id, claim_id, sequence, type, message from claim_event order by id',
      );
      return rows.map((row) => ({ ...row, id: Number(row.id) }));
    };
    const before = await released();
    expect(before.filter((claim) => claim.released_from_sequence !== null).length).toBeGreaterThan(0);
    const written = await events();

    const migrator = t.orm.getMigrator();
    await migrator.down({ to: 'Migration20261208002639_EventViewsAndAudienceTexts' });
    expect(await events()).toEqual(written);
    await migrator.up();
    expect(await events()).toEqual(written);
    expect(await released()).toEqual(before);
    expect(await migrator.getPendingMigrations()).toEqual([]);
  });
});
