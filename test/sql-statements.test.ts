import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { ClaimsNestedDocument, FileClaimDocument, RecordOrderDocument } from './__generated__/graphql';
import { claimInput, releaseToSeller, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let t: TestServer;

/** 100 claims by two customers against two sellers, each on its own order. */
beforeAll(async () => {
  // No background reads of the event table while statements are counted.
  t = await startTestServer({ EVENT_POLL_INTERVAL_MS: '0' });
  await seedMarketplace(t);
  const agent = await t.agent();
  for (let batch = 0; batch < 10; batch += 1) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        const n = batch * 10 + index;
        const customerRef = n % 2 === 0 ? 'cust-a' : 'cust-b';
        const { recordOrder } = await agent.data(RecordOrderDocument, {
          input: {
            externalRef: `ord-bulk-${n}`,
            customerRef,
            sellerRef: n % 3 === 0 ? 'sell-b' : 'sell-a',
            productRef: n % 5 === 0 ? 'prod-charger' : 'prod-heater',
            quantity: 1,
            price: { amount: '89.99', currencyCode: 'USD' },
            purchasedAt: '2026-05-01T10:00:00Z',
          },
        });
        const { fileClaim } = await agent.data(FileClaimDocument, {
          input: claimInput(recordOrder.order!.id),
        });
        await releaseToSeller(t, fileClaim.claim!.id);
      }),
    );
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('SQL statements per claims page', () => {
  async function statementsFor(
    role: Role,
    subject: string,
    first: number,
  ): Promise<{ statements: number; claims: number }> {
    const client = await t.as(role, subject);
    let claims = 0;
    const statements = await t.countStatements(async () => {
      const { claims: page } = await client.data(ClaimsNestedDocument, { first });
      claims = page.edges.length;
      for (const { node } of page.edges) {
        expect(node.order.id).toBeTruthy();
        expect(node.product.name).toBeTruthy();
        expect(node.seller.name).toBeTruthy();
        expect(node.timeline.length).toBeGreaterThan(0);
      }
    });
    return { statements, claims };
  }

  it.each([
    [Role.AGENT, 'agent-test', 100],
    [Role.CUSTOMER, 'cust-a', 50],
    [Role.SELLER, 'sell-a', 66],
  ] as const)(
    'is the same for 1, 10 and 100 claims with order, product, seller, customer and timeline (%s)',
    async (role, subject, visible) => {
      const one = await statementsFor(role, subject, 1);
      const ten = await statementsFor(role, subject, 10);
      const hundred = await statementsFor(role, subject, 100);
      expect([one.claims, ten.claims, hundred.claims]).toEqual([1, 10, visible]);
      expect(ten.statements).toBe(one.statements);
      expect(hundred.statements).toBe(one.statements);
      // The page, then one batched query per relation: order, product, seller, customer, timeline.
      expect(one.statements).toBeLessThanOrEqual(7);
    },
  );
});
