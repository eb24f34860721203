import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { toGlobalId } from '../src/graphql/global-id';
import { ClaimDocument, type FileClaimInput, FileClaimDocument } from './__generated__/graphql';
import {
  claimInput,
  claimTableCounts,
  type Marketplace,
  recordChargerOrder,
  seedMarketplace,
} from './support/fixtures';
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

const injury = { description: 'Burn on the left hand', medicallyTreated: true, treatmentDetails: 'Dressing' };

/** Records a new order for `customerRef` and returns its id. */
function recordOrder(externalRef: string, customerRef = 'cust-a'): Promise<string> {
  return recordChargerOrder(t, externalRef, customerRef);
}

describe('fileClaim', () => {
  it('files a claim with a readable number, status SUBMITTED and the first timeline event', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const input = claimInput(market.orders['ord-a1'].id, {
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      amountClaimed: { amount: '1234.5', currencyCode: 'usd' },
      injuryDetails: injury,
    });
    const { fileClaim } = await customer.data(FileClaimDocument, { input });
    expect(fileClaim.userErrors).toEqual([]);
    const claim = fileClaim.claim!;
    expect(claim.number).toMatch(/^CLM-2026-\d{6}$/);
    expect(claim).toMatchObject({
      status: 'SUBMITTED',
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      incidentDate: '2026-06-01',
      filedAt: t.clock.now().toISOString(),
      amountClaimed: { amount: '1234.50', currencyCode: 'USD' },
      order: { id: market.orders['ord-a1'].id, externalRef: 'ord-a1' },
      seller: { id: market.sellers['sell-a'], name: 'Alpha Goods' },
      customer: { id: market.customers['cust-a'], name: 'Ada Customer' },
      injuryDetails: injury,
      nextStep: { party: 'MARKETPLACE', deadline: null },
      evidence: [{ kind: 'PHOTO', contentHash: input.evidence![0].contentHash, addedByRole: 'CUSTOMER' }],
    });
    expect(claim.timeline).toEqual([
      {
        id: expect.any(String),
        sequence: 1,
        type: 'CLAIM_FILED',
        occurredAt: t.clock.now().toISOString(),
        actorRole: 'CUSTOMER',
        fromStatus: null,
        toStatus: 'SUBMITTED',
        message: 'Claim filed by the customer.',
      },
    ]);
    const { claim: reread } = await customer.data(ClaimDocument, { id: claim.id });
    expect(reread).toEqual(claim);
  });

  it('lets an agent file for the customer who owns the order', async () => {
    const agent = await t.agent();
    const { fileClaim } = await agent.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-b1'].id),
    });
    expect(fileClaim.claim).toMatchObject({
      customer: { id: market.customers['cust-b'] },
      timeline: [{ type: 'CLAIM_FILED', actorRole: 'AGENT' }],
    });
    const customerB = await t.as(Role.CUSTOMER, 'cust-b');
    expect((await customerB.data(ClaimDocument, { id: fileClaim.claim!.id })).claim?.id).toBe(
      fileClaim.claim!.id,
    );
  });

  it('accepts the largest amount, 1,000,000.00', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a3'].id, {
        kinds: ['PERSONAL_INJURY'],
        injuryDetails: injury,
        amountClaimed: { amount: '1000000.00', currencyCode: 'USD' },
      }),
    });
    expect(fileClaim.userErrors).toEqual([]);
    expect(fileClaim.claim?.amountClaimed).toEqual({ amount: '1000000.00', currencyCode: 'USD' });
  });
});

describe('fileClaim refuses bad input with a userError and writes nothing', () => {
  const order = () => market.orders['ord-a2'].id;
  const cases: [string, () => Partial<FileClaimInput>, string[], string][] = [
    [
      'an unknown order',
      () => ({ orderId: toGlobalId('Order', 999_999) }),
      ['input', 'orderId'],
      'ORDER_NOT_FOUND',
    ],
    ['a malformed order id', () => ({ orderId: 'not-an-id' }), ['input', 'orderId'], 'ORDER_NOT_FOUND'],
    [
      'an id of another type',
      () => ({ orderId: market.customers['cust-a'] }),
      ['input', 'orderId'],
      'ORDER_NOT_FOUND',
    ],
    [
      "another customer's order",
      () => ({ orderId: market.orders['ord-b2'].id }),
      ['input', 'orderId'],
      'ORDER_NOT_FOUND',
    ],
    [
      'a zero amount',
      () => ({ amountClaimed: { amount: '0.00', currencyCode: 'USD' } }),
      ['input', 'amountClaimed', 'amount'],
      'AMOUNT_NOT_POSITIVE',
    ],
    [
      'a negative amount',
      () => ({ amountClaimed: { amount: '-5', currencyCode: 'USD' } }),
      ['input', 'amountClaimed', 'amount'],
      'AMOUNT_NOT_POSITIVE',
    ],
    [
      'an amount over 1,000,000.00',
      () => ({ amountClaimed: { amount: '1000000.01', currencyCode: 'USD' } }),
      ['input', 'amountClaimed', 'amount'],
      'AMOUNT_TOO_LARGE',
    ],
    [
      'an amount with three decimals',
      () => ({ amountClaimed: { amount: '10.005', currencyCode: 'USD' } }),
      ['input', 'amountClaimed', 'amount'],
      'AMOUNT_TOO_PRECISE',
    ],
    [
      'an unsupported currency',
      () => ({ amountClaimed: { amount: '10.00', currencyCode: 'XYZ' } }),
      ['input', 'amountClaimed', 'currencyCode'],
      'UNSUPPORTED_CURRENCY',
    ],
    [
      'a currency other than the order',
      () => ({ amountClaimed: { amount: '10.00', currencyCode: 'EUR' } }),
      ['input', 'amountClaimed', 'currencyCode'],
      'CURRENCY_MISMATCH',
    ],
    [
      'an incident before the purchase',
      () => ({ incidentDate: '2026-04-30' }),
      ['input', 'incidentDate'],
      'INCIDENT_BEFORE_PURCHASE',
    ],
    [
      'an incident in the future',
      () => ({ incidentDate: '2026-06-16' }),
      ['input', 'incidentDate'],
      'INCIDENT_IN_FUTURE',
    ],
    ['an empty description', () => ({ description: '' }), ['input', 'description'], 'REQUIRED'],
    ['a blank description', () => ({ description: ' \n\t ' }), ['input', 'description'], 'REQUIRED'],
    [
      'a description over 5,000 characters',
      () => ({ description: 'x'.repeat(5001) }),
      ['input', 'description'],
      'TOO_LONG',
    ],
    [
      'a description with control characters',
      () => ({ description: 'bad\u0000byte' }),
      ['input', 'description'],
      'INVALID_FORMAT',
    ],
    ['no kind', () => ({ kinds: [] }), ['input', 'kinds'], 'REQUIRED'],
    [
      'a kind named twice',
      () => ({ kinds: ['PROPERTY_DAMAGE', 'PROPERTY_DAMAGE'] }),
      ['input', 'kinds'],
      'DUPLICATE_VALUE',
    ],
    [
      'personal injury without injury details',
      () => ({ kinds: ['PERSONAL_INJURY'] }),
      ['input', 'injuryDetails'],
      'INJURY_DETAILS_REQUIRED',
    ],
    [
      'injury details on a property claim',
      () => ({ injuryDetails: injury }),
      ['input', 'injuryDetails'],
      'INJURY_DETAILS_NOT_APPLICABLE',
    ],
    [
      'empty injury description',
      () => ({ kinds: ['PERSONAL_INJURY'], injuryDetails: { ...injury, description: '' } }),
      ['input', 'injuryDetails', 'description'],
      'REQUIRED',
    ],
    [
      'a malformed evidence hash',
      () => ({
        evidence: [{ kind: 'PHOTO', description: 'p', contentHash: 'md5:abc', uri: 'https://x.example/p' }],
      }),
      ['input', 'evidence', '0', 'contentHash'],
      'INVALID_FORMAT',
    ],
    [
      'a non-https evidence uri',
      () => ({
        evidence: [
          {
            kind: 'PHOTO',
            description: 'p',
            contentHash: `sha256:${'b'.repeat(64)}`,
            uri: 'ftp://x.example/p',
          },
        ],
      }),
      ['input', 'evidence', '0', 'uri'],
      'INVALID_FORMAT',
    ],
    ['an empty idempotency key', () => ({ idempotencyKey: '' }), ['input', 'idempotencyKey'], 'REQUIRED'],
  ];

  it.each(cases)('%s', async (_name, override, field, code) => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const before = await claimTableCounts(t);
    const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(order(), override()) });
    expect(fileClaim.claim).toBeNull();
    expect(fileClaim.userErrors).toEqual([{ field, code, message: expect.stringMatching(/\S/) }]);
    expect(await claimTableCounts(t)).toEqual(before);
  });

  it('reports every problem of one request together', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(order(), {
        description: '',
        amountClaimed: { amount: '0', currencyCode: 'USD' },
        incidentDate: '2030-01-01',
      }),
    });
    expect(fileClaim.userErrors.map((error) => error.code).sort()).toEqual([
      'AMOUNT_NOT_POSITIVE',
      'INCIDENT_IN_FUTURE',
      'REQUIRED',
    ]);
  });

  it('refuses a second open claim of the same kind on an order, but not of another kind', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-b');
    const orderId = market.orders['ord-b2'].id;
    const first = await customer.data(FileClaimDocument, { input: claimInput(orderId) });
    expect(first.fileClaim.userErrors).toEqual([]);
    const before = await claimTableCounts(t);
    const again = await customer.data(FileClaimDocument, {
      input: claimInput(orderId, { kinds: ['PERSONAL_INJURY', 'PROPERTY_DAMAGE'], injuryDetails: injury }),
    });
    expect(again.fileClaim).toEqual({
      claim: null,
      userErrors: [
        {
          field: ['input', 'kinds'],
          code: 'OPEN_CLAIM_EXISTS',
          message: expect.stringContaining('PROPERTY_DAMAGE'),
        },
      ],
    });
    expect(await claimTableCounts(t)).toEqual(before);
    const otherKind = await customer.data(FileClaimDocument, {
      input: claimInput(orderId, { kinds: ['PERSONAL_INJURY'], injuryDetails: injury }),
    });
    expect(otherKind.fileClaim.userErrors).toEqual([]);
  });
});

describe('fileClaim idempotency', () => {
  it('returns the same claim for the same key and input, and refuses the key with other input', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const input = claimInput(await recordOrder('ord-retry'), { idempotencyKey: 'retry-me' });
    const first = await customer.data(FileClaimDocument, { input });
    expect(first.fileClaim.userErrors).toEqual([]);
    const counts = await claimTableCounts(t);
    const second = await customer.data(FileClaimDocument, { input });
    expect(second.fileClaim).toEqual(first.fileClaim);
    expect(await claimTableCounts(t)).toEqual(counts);

    const changed = await customer.data(FileClaimDocument, {
      input: { ...input, description: 'Something else entirely.' },
    });
    expect(changed.fileClaim).toEqual({
      claim: null,
      userErrors: [
        { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) },
      ],
    });
    expect(await claimTableCounts(t)).toEqual(counts);
  });

  it('scopes keys to the caller: two customers may use the same key', async () => {
    const ids: string[] = [];
    for (const customerRef of ['cust-a', 'cust-b']) {
      const client = await t.as(Role.CUSTOMER, customerRef);
      const orderId = await recordOrder(`ord-key-${customerRef}`, customerRef);
      const { fileClaim } = await client.data(FileClaimDocument, {
        input: claimInput(orderId, { idempotencyKey: 'shared-key' }),
      });
      expect(fileClaim.userErrors).toEqual([]);
      ids.push(fileClaim.claim!.id);
    }
    expect(new Set(ids).size).toBe(2);
  });
});

describe('fileClaim under concurrency', () => {
  it('twenty identical requests at once make one claim, and every caller gets it', async () => {
    const orderId = await recordOrder('ord-concurrent-1');
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const input = claimInput(orderId, { idempotencyKey: 'concurrent-identical' });
    const before = await claimTableCounts(t);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => customer.data(FileClaimDocument, { input })),
    );
    const ids = new Set(results.map((result) => result.fileClaim.claim?.id));
    expect(results.every((result) => result.fileClaim.userErrors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    const after = await claimTableCounts(t);
    expect(after.claim - before.claim).toBe(1);
    expect(after.claim_event - before.claim_event).toBe(1);
    expect(after.idempotency_record - before.idempotency_record).toBe(1);
  });

  it('twenty different keys for the same kind on one order make one claim; the rest are told an open claim exists', async () => {
    const orderId = await recordOrder('ord-concurrent-2');
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        customer.data(FileClaimDocument, { input: claimInput(orderId, { idempotencyKey: `race-${index}` }) }),
      ),
    );
    const filed = results.filter((result) => result.fileClaim.claim);
    expect(filed).toHaveLength(1);
    const refusals = results
      .filter((result) => !result.fileClaim.claim)
      .map((result) => result.fileClaim.userErrors[0]?.code);
    expect(refusals).toEqual(Array(19).fill('OPEN_CLAIM_EXISTS'));
  });

  it('one key used for two different orders at once: one claim, the other is told the key was reused', async () => {
    const [first, second] = [await recordOrder('ord-concurrent-3'), await recordOrder('ord-concurrent-4')];
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const results = await Promise.all([
      customer.data(FileClaimDocument, {
        input: claimInput(first, { idempotencyKey: 'one-key-two-orders' }),
      }),
      customer.data(FileClaimDocument, {
        input: claimInput(second, { idempotencyKey: 'one-key-two-orders' }),
      }),
    ]);
    const codes = results.map((result) => result.fileClaim.userErrors.map((error) => error.code)).flat();
    expect(results.filter((result) => result.fileClaim.claim)).toHaveLength(1);
    expect(codes).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });
});
