import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { FileClaimDocument, RecordInsurancePolicyDocument, WorkflowClaimDocument } from './__generated__/graphql';
import { claimInput, type Marketplace, seedMarketplace } from './support/fixtures';
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

const policy = {
  sellerRef: 'sell-b',
  providerRef: 'ins-harbor',
  providerName: 'Harbor Mutual',
  policyNumber: 'HM-1',
  effectiveFrom: '2026-01-01',
  effectiveTo: '2026-12-31',
};

describe('recordInsurancePolicy', () => {
  it('records a verified policy once; the same again returns it; other details conflict', async () => {
    const agent = await t.agent();
    const first = await agent.data(RecordInsurancePolicyDocument, { input: policy });
    expect(first.recordInsurancePolicy).toEqual({
      policy: {
        id: expect.any(String),
        policyNumber: 'HM-1',
        effectiveFrom: '2026-01-01',
        effectiveTo: '2026-12-31',
        status: 'VERIFIED',
        provider: { externalRef: 'ins-harbor', name: 'Harbor Mutual' },
        seller: { externalRef: 'sell-b' },
      },
      userErrors: [],
    });
    expect((await agent.data(RecordInsurancePolicyDocument, { input: policy })).recordInsurancePolicy).toEqual(first.recordInsurancePolicy);
    const conflict = await agent.data(RecordInsurancePolicyDocument, { input: { ...policy, effectiveTo: '2027-06-30' } });
    expect(conflict.recordInsurancePolicy.userErrors.map((error) => [error.field, error.code])).toEqual([[['input', 'policyNumber'], 'POLICY_CONFLICT']]);
  });

  it('refuses a period that ends before it starts, an unknown seller, and non-agents', async () => {
    const agent = await t.agent();
    const backwards = await agent.data(RecordInsurancePolicyDocument, { input: { ...policy, policyNumber: 'HM-2', effectiveTo: '2025-12-31' } });
    expect(backwards.recordInsurancePolicy.userErrors.map((error) => error.code)).toEqual(['PERIOD_INVALID']);
    const unknown = await agent.data(RecordInsurancePolicyDocument, { input: { ...policy, policyNumber: 'HM-3', sellerRef: 'nobody' } });
    expect(unknown.recordInsurancePolicy.userErrors.map((error) => error.code)).toEqual(['NOT_FOUND']);
    const seller = await t.as(Role.SELLER, 'sell-b');
    const response = await seller.execute(RecordInsurancePolicyDocument, { input: { ...policy, policyNumber: 'HM-4' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('makes the seller compliant on the days it covers: a small claim is paid with no recovery', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(market.orders['ord-a2'].id) });
    await t.runJobs();
    const { claim } = await customer.data(WorkflowClaimDocument, { id: fileClaim.claim!.id });
    expect(claim).toMatchObject({ status: 'CLOSED', route: 'CONCESSION', recovery: null });
    expect(await t.ledgerBreaches()).toEqual([]);
  });
});
