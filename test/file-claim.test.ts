import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { ClaimDocument, FileClaimDocument } from './__generated__/graphql';
import { claimInput, claimTableCounts, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let t: TestServer;
let market: Marketplace;

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

describe('fileClaim', () => {
  it('files a claim with a readable number, status SUBMITTED and the first timeline event', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const input = claimInput(market.orders['ord-a1'].id, {
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      amountClaimed: { amount: '1234.5', currencyCode: 'USD' },
      injuryDetails: { description: 'Burn on the left hand', medicallyTreated: true, treatmentDetails: 'Dressing' },
    });
    const { fileClaim } = await customer.data(FileClaimDocument, { input });
    expect(fileClaim.userErrors).toEqual([]);
    const claim = fileClaim.claim!;
    expect(claim.number).toMatch(/^CLM-2026-\d{6}$/);
    expect(claim).toMatchObject({
      status: 'SUBMITTED',
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      incidentDate: '2026-06-01',
      amountClaimed: { amount: '1234.50', currencyCode: 'USD' },
      order: { id: market.orders['ord-a1'].id, externalRef: 'ord-a1' },
      seller: { id: market.sellers['sell-a'], name: 'Alpha Goods' },
      customer: { id: market.customers['cust-a'], name: 'Ada Customer' },
      injuryDetails: { description: 'Burn on the left hand', medicallyTreated: true, treatmentDetails: 'Dressing' },
      nextStep: { party: 'MARKETPLACE', deadline: null },
    });
    expect(claim.timeline).toEqual([
      expect.objectContaining({ sequence: 1, type: 'CLAIM_FILED', actorRole: 'CUSTOMER', fromStatus: null, toStatus: 'SUBMITTED' }),
    ]);
    const { claim: reread } = await customer.data(ClaimDocument, { id: claim.id });
    expect(reread).toEqual(claim);
  });

  it('refuses an amount with three decimals and writes nothing', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const before = await claimTableCounts(t);
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a2'].id, { amountClaimed: { amount: '10.005', currencyCode: 'USD' } }),
    });
    expect(fileClaim).toEqual({
      claim: null,
      userErrors: [{ field: ['input', 'amountClaimed', 'amount'], code: 'AMOUNT_TOO_PRECISE', message: expect.any(String) }],
    });
    expect(await claimTableCounts(t)).toEqual(before);
  });
});
