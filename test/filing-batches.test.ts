import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { idOf, toGlobalId } from '../src/graphql/global-id';
import { requestContext } from '../src/server/request-context';
import type { FileClaimRequest } from '../src/services/claims/claim-filing.service';
import { type FileClaimInput, FileClaimDocument } from './__generated__/graphql';
import { claimInput, recordChargerOrder, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Filings that arrive together are written in one transaction (group commit). Each must get the
 * answer it would get alone, a refusal must write nothing of its own, and the batch must cost
 * about what one filing costs.
 */
let t: TestServer;
let orderCount = 0;

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

function recordOrder(customerRef: string): Promise<string> {
  orderCount += 1;
  return recordChargerOrder(t, `ord-batch-${orderCount}`, customerRef);
}

/** Files straight through the service, so that filings submitted in one tick meet in one batch. */
function file(role: Role, subject: string, input: FileClaimInput) {
  const ctx = requestContext(t.orm, t.server.services, { viewer: { role, subject } });
  // The generated input's string unions hold exactly the values of the service's enums; the order
  // id is decoded as the API does before calling the service.
  // oxlint-disable-next-line typescript/no-unsafe-enum-assignment
  const request = { ...input, orderId: idOf(String(input.orderId), 'Order') } as FileClaimRequest;
  return t.server.services.claimFiling.fileClaim(ctx, request);
}

async function rowCounts(): Promise<Record<string, number>> {
  const connection = t.orm.em.getConnection();
  const counts: Record<string, number> = {};
  for (const table of [
    'claim',
    'claim_event',
    'claim_evidence',
    'claim_injury_details',
    'claim_description_band',
    'scheduled_job',
    'idempotency_record',
  ]) {
    const [row] = await connection.execute<{ count: string | number }[]>(
      `select count(*) as count from ${table}`,
    );
    counts[table] = Number(row!.count);
  }
  return counts;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([table, count]) => [table, count - before[table]]));
}

describe('filings written together', () => {
  it('give each filing the answer it would get alone, and write exactly the accepted ones', async () => {
    const [a1, a2, a3, a4, openOrder, b1, b2] = [
      await recordOrder('cust-a'),
      await recordOrder('cust-a'),
      await recordOrder('cust-a'),
      await recordOrder('cust-a'),
      await recordOrder('cust-a'),
      await recordOrder('cust-b'),
      await recordOrder('cust-b'),
    ];
    const committed = claimInput(a3);
    const customerA = await t.as(Role.CUSTOMER, 'cust-a');
    const earlier = await customerA.data(FileClaimDocument, { input: committed });
    await customerA.data(FileClaimDocument, { input: claimInput(openOrder) });
    const before = await rowCounts();

    const injury = {
      description: 'Burn on the left hand',
      medicallyTreated: true,
      treatmentDetails: 'Dressing',
    };
    const results = await Promise.all([
      file(Role.CUSTOMER, 'cust-a', claimInput(a1)),
      file(Role.CUSTOMER, 'cust-a', claimInput(a2)),
      file(Role.CUSTOMER, 'cust-a', claimInput(b1)),
      file(Role.CUSTOMER, 'cust-a', committed),
      file(Role.CUSTOMER, 'cust-a', { ...claimInput(a4), idempotencyKey: committed.idempotencyKey }),
      file(Role.CUSTOMER, 'cust-a', claimInput(a4, { incidentDate: '2026-04-01' })),
      file(Role.CUSTOMER, 'cust-a', claimInput(openOrder)),
      file(Role.CUSTOMER, 'cust-b', claimInput(b1, { kinds: ['PERSONAL_INJURY'], injuryDetails: injury })),
      file(Role.AGENT, 'agent-1', claimInput(b2)),
    ]);

    const answers = results.map((result) =>
      result.claim ? 'filed' : result.userErrors.map((error) => error.code).join(','),
    );
    expect(answers).toEqual([
      'filed',
      'filed',
      'ORDER_NOT_FOUND',
      'filed',
      'IDEMPOTENCY_KEY_REUSED',
      'INCIDENT_BEFORE_PURCHASE',
      'OPEN_CLAIM_EXISTS',
      'filed',
      'filed',
    ]);
    // The retry is answered with the claim filed earlier, not a new one.
    expect(toGlobalId('Claim', results[3].claim!.id)).toBe(earlier.fileClaim.claim!.id);

    const written = difference(await rowCounts(), before);
    // Four new claims: a1, a2, cust-b's injury claim and the agent's; each with one event, one
    // photo, twenty description bands, a screening job and an idempotency record.
    expect(written).toEqual({
      claim: 4,
      claim_event: 4,
      claim_evidence: 4,
      claim_injury_details: 1,
      claim_description_band: 80,
      scheduled_job: 4,
      idempotency_record: 4,
    });

    const filed = results.filter((result) => result.claim).map((result) => result.claim!);
    const timeline: { claim_id: number; sequence: number }[] = await t.orm.em
      .fork()
      .getConnection()
      .execute(
        `select claim_id, sequence from claim_event where claim_id in (${filed.map(() => '?').join(', ')})`,
        filed.map((claim) => claim.id),
      );
    // Every new claim starts its own timeline at 1; the replayed claim's is untouched.
    expect(
      timeline.filter((event) => event.claim_id !== results[3].claim!.id).map((event) => event.sequence),
    ).toEqual([1, 1, 1, 1]);
  });

  it('cost fewer statements than three filings written one after another', async () => {
    const orders: string[] = [];
    for (let index = 0; index < 12; index += 1)
      orders.push(await recordOrder(index % 2 === 0 ? 'cust-a' : 'cust-b'));
    const single = await t.countStatements(() => file(Role.CUSTOMER, 'cust-a', claimInput(orders[0])));
    let results: Awaited<ReturnType<typeof file>>[] = [];
    const together = await t.countStatements(async () => {
      results = await Promise.all(
        orders
          .slice(1)
          .map((orderId, index) =>
            file(Role.CUSTOMER, index % 2 === 0 ? 'cust-b' : 'cust-a', claimInput(orderId)),
          ),
      );
    });
    expect(results.every((result) => result.claim !== null)).toBe(true);
    // The first of the eleven is written at once, alone; the other ten share the next transaction.
    // (The event feed's reads after each commit are counted too.)
    expect(together).toBeLessThan(3 * single);
  });
});
