import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { FileClaimDocument, WorkflowClaimDocument } from './__generated__/graphql';
import { claimInput, insureSeller, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';
import { HOUR } from './support/time';

let t: TestServer;
let market: Marketplace;

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  await insureSeller(t, 'sell-a', 'ins-a');
});

afterAll(async () => {
  await t?.stop();
});

describe('workflow smoke', () => {
  it('a small claim against an insured seller is paid by the marketplace and closed', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a1'].id),
    });
    expect(await t.runJobs()).toBe(1);
    const { claim } = await customer.data(WorkflowClaimDocument, { id: fileClaim.claim!.id });
    expect(claim).toMatchObject({
      status: 'CLOSED',
      route: 'CONCESSION',
      payout: { payer: 'MARKETPLACE', status: 'COMPLETED' },
      recovery: null,
    });
    expect(await t.ledgerBreaches()).toEqual([]);
  });

  it('a large claim left unanswered is paid by the marketplace at the deadline, which pursues the insurer', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-b');
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-b1'].id, {
        amountClaimed: { amount: '2500.00', currencyCode: 'USD' },
      }),
    });
    await t.runJobs();
    const routed = (await customer.data(WorkflowClaimDocument, { id: fileClaim.claim!.id })).claim!;
    expect(routed).toMatchObject({
      status: 'AWAITING_SELLER',
      route: 'SELLER_RESPONSE',
      respondBy: '2026-06-18T12:00:00.000Z',
    });
    t.clock.advance(48 * HOUR);
    expect(await t.runJobs()).toBe(1);
    t.clock.advance(23 * HOUR);
    expect(await t.runJobs()).toBe(1);
    t.clock.advance(HOUR);
    expect(await t.runJobs()).toBe(1);
    const { claim } = await customer.data(WorkflowClaimDocument, { id: fileClaim.claim!.id });
    // The customer is paid; the recovery is between the marketplace and the seller side.
    expect(claim).toMatchObject({ status: 'PAID', payout: { payer: 'MARKETPLACE' }, recovery: null });
    const asAgent = (await (await t.agent()).data(WorkflowClaimDocument, { id: fileClaim.claim!.id })).claim;
    expect(asAgent).toMatchObject({ recovery: { debtor: 'INSURER', status: 'OPEN' } });
    expect(claim!.timeline.map((event) => event.type)).toEqual([
      'CLAIM_FILED',
      'STATUS_CHANGED',
      'STATUS_CHANGED',
      'SELLER_NOTIFIED',
      'INSURER_NOTIFIED',
      'RESPONSE_REMINDER',
      'RESPONSE_REMINDER',
      'STATUS_CHANGED',
      'PAYOUT_COMPLETED',
      'STATUS_CHANGED',
      'RECOVERY_OPENED',
    ]);
    expect(await t.ledgerBreaches()).toEqual([]);
  });
});
