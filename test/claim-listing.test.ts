import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { Claim } from '../src/entities/claim.entity';
import { ClaimStatus } from '../src/entities/claim-status';
import { localIdOf } from '../src/graphql/global-id';
import {
  type ClaimFilter,
  type ClaimKind,
  type ClaimOrder,
  ClaimsDocument,
  type ClaimsQuery,
  FileClaimDocument,
  RecordOrderDocument,
} from './__generated__/graphql';
import type { GraphQLClient } from './support/graphql-client';
import { claimInput, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';
import { HOUR } from './support/time';

/**
 * Listing claims: orderings, keyset paging, filters and argument checks. Eight claims with distinct
 * amounts and filing times, across both customers, both sellers and every combination of kinds.
 */

interface Filed {
  id: string;
  filedAt: string;
  amount: string;
  customer: 'cust-a' | 'cust-b';
  seller: 'sell-a' | 'sell-b';
}

type Connection = ClaimsQuery['claims'];

/** "1000.01" → 100001n: amounts compare as exact decimals, never as strings or floats. */
function toMinor(amount: string): bigint {
  const [units, fraction = ''] = amount.split('.');
  return BigInt(units + fraction.padEnd(2, '0'));
}

const ids = (claims: Filed[]) => claims.map((claim) => claim.id);
const idsOf = (connection: Connection) => connection.edges.map((edge) => edge.node.id);

/** A cursor as a client could forge it; the server's own cursors are opaque to tests otherwise. */
const forgedCursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The ids and total of one request for up to 100 claims. */
async function list(client: GraphQLClient, filter?: ClaimFilter, orderBy?: ClaimOrder) {
  const { claims } = await client.data(ClaimsDocument, { first: 100, filter, orderBy });
  return { ids: idsOf(claims), totalCount: claims.totalCount };
}

/**
 * Follows endCursor until hasNextPage is false, checking every page's pageInfo and total on the
 * way; returns the ids in the order the pages gave them.
 */
async function walk(
  client: GraphQLClient,
  first: number,
  expectedTotal: number,
  filter?: ClaimFilter,
  orderBy?: ClaimOrder,
) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page <= expectedTotal; page += 1) {
    const { claims }: ClaimsQuery = await client.data(ClaimsDocument, { first, after, filter, orderBy });
    const remaining = expectedTotal - seen.length;
    expect(claims.totalCount).toBe(expectedTotal);
    expect(claims.edges).toHaveLength(Math.min(first, remaining));
    expect(claims.pageInfo).toEqual({
      hasNextPage: remaining > first,
      hasPreviousPage: page > 0,
      startCursor: claims.edges[0]?.cursor ?? null,
      endCursor: claims.edges.at(-1)?.cursor ?? null,
    });
    seen.push(...idsOf(claims));
    if (!claims.pageInfo.hasNextPage) return seen;
    after = claims.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

/** The message and location are free text; the code and the argument named are the contract. */
function badUserInput(argument: string) {
  return [
    {
      message: expect.any(String),
      locations: expect.any(Array),
      path: ['claims'],
      extensions: { code: 'BAD_USER_INPUT', argument },
    },
  ];
}

/** The workflow that moves claims on does not exist yet; tests of status filters set it directly. */
async function setStatus(t: TestServer, claimId: string, status: ClaimStatus): Promise<void> {
  await t.orm.em.fork().nativeUpdate(Claim, { id: localIdOf(claimId, 'Claim')! }, { status });
}

let t: TestServer;
let market: Marketplace;
let agent: GraphQLClient;
/** In filing order, so filedAt increases with the index. */
let filed: Filed[];

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  agent = await t.agent();
  // A third order of cust-b, from sell-b, recorded the way the marketplace records orders.
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: 'ord-b3',
      customerRef: 'cust-b',
      sellerRef: 'sell-b',
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-02T10:00:00.000Z',
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const orders: Record<string, string> = { 'ord-b3': recordOrder.order!.id };
  for (const [ref, order] of Object.entries(market.orders)) orders[ref] = order.id;

  // Distinct amounts whose string order differs from their numeric order.
  const specs: [order: string, kinds: ClaimKind[], amount: string, by: 'customer' | 'agent'][] = [
    ['ord-a1', ['PROPERTY_DAMAGE'], '250.00', 'customer'],
    ['ord-a1', ['PERSONAL_INJURY'], '9.99', 'customer'],
    ['ord-a2', ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'], '1000.01', 'customer'],
    ['ord-a3', ['PROPERTY_DAMAGE'], '100.00', 'customer'],
    ['ord-b1', ['PROPERTY_DAMAGE'], '999.99', 'customer'],
    ['ord-b1', ['PERSONAL_INJURY'], '12345.67', 'customer'],
    ['ord-b2', ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'], '5.00', 'customer'],
    ['ord-b3', ['PROPERTY_DAMAGE'], '250000.00', 'agent'],
  ];
  filed = [];
  for (const [orderRef, kinds, amount, by] of specs) {
    // Filing times one hour apart (and not on a round number), so filedAt orders the claims.
    t.clock.advance(HOUR + 7_000);
    const customer = orderRef.startsWith('ord-a') ? 'cust-a' : 'cust-b';
    const client = by === 'agent' ? agent : await t.as(Role.CUSTOMER, customer);
    const { fileClaim } = await client.data(FileClaimDocument, {
      input: claimInput(orders[orderRef], {
        kinds,
        amountClaimed: { amount, currencyCode: 'USD' },
        injuryDetails: kinds.includes('PERSONAL_INJURY')
          ? { description: 'Cut on the right hand', medicallyTreated: false }
          : undefined,
      }),
    });
    expect(fileClaim.userErrors).toEqual([]);
    const claim = fileClaim.claim!;
    expect(claim.filedAt).toBe(t.clock.now().toISOString());
    filed.push({
      id: claim.id,
      filedAt: claim.filedAt,
      amount: claim.amountClaimed.amount,
      customer,
      seller: orderRef === 'ord-a2' || orderRef === 'ord-b2' || orderRef === 'ord-b3' ? 'sell-b' : 'sell-a',
    });
  }
  // One claim has moved on, so that a status filter has something to tell apart.
  await setStatus(t, filed[3].id, ClaimStatus.SCREENING);
});

afterAll(async () => {
  await t?.stop();
});

/** The claims at these filing positions, newest first (the default order). */
const newestFirst = (...positions: number[]) =>
  ids(positions.sort((a, b) => b - a).map((position) => filed[position]));

const byAmount = () => [...filed].sort((a, b) => (toMinor(a.amount) < toMinor(b.amount) ? -1 : 1));

const orderings: [name: string, orderBy: ClaimOrder | undefined, expected: () => string[]][] = [
  ['the default (filed-at, newest first)', undefined, () => ids([...filed].reverse())],
  ['FILED_AT DESC', { field: 'FILED_AT', direction: 'DESC' }, () => ids([...filed].reverse())],
  ['FILED_AT ASC', { field: 'FILED_AT', direction: 'ASC' }, () => ids(filed)],
  ['AMOUNT ASC', { field: 'AMOUNT', direction: 'ASC' }, () => ids(byAmount())],
  ['AMOUNT DESC', { field: 'AMOUNT', direction: 'DESC' }, () => ids(byAmount().reverse())],
];

describe('ordering', () => {
  it('defaults to filed-at, newest first', async () => {
    const { claims } = await agent.data(ClaimsDocument, { first: 100 });
    expect(idsOf(claims)).toEqual(ids([...filed].reverse()));
    const filedAts = claims.edges.map((edge) => edge.node.filedAt);
    expect(filedAts).toEqual([...filed].reverse().map((claim) => claim.filedAt));
    expect(filedAts).toEqual([...filedAts].sort().reverse());
  });

  it('orders by filed-at, oldest first', async () => {
    expect(await list(agent, undefined, { field: 'FILED_AT', direction: 'ASC' })).toEqual({
      ids: ids(filed),
      totalCount: 8,
    });
  });

  it('orders by amount as a decimal, ascending and descending', async () => {
    const ascending = await agent.data(ClaimsDocument, {
      first: 100,
      orderBy: { field: 'AMOUNT', direction: 'ASC' },
    });
    expect(ascending.claims.edges.map((edge) => edge.node.amountClaimed)).toEqual(
      ['5.00', '9.99', '100.00', '250.00', '999.99', '1000.01', '12345.67', '250000.00'].map((amount) => ({
        amount,
        currencyCode: 'USD',
      })),
    );
    expect(idsOf(ascending.claims)).toEqual(ids(byAmount()));
    expect(await list(agent, undefined, { field: 'AMOUNT', direction: 'DESC' })).toEqual({
      ids: ids(byAmount().reverse()),
      totalCount: 8,
    });
  });
});

describe('paging with first/after', () => {
  // 1 and 3 end on a short page; 4 and 8 end exactly on a full one, the off-by-one case.
  for (const [name, orderBy, expected] of orderings) {
    it.each([1, 3, 4, 8])(
      `walks every claim exactly once, ordered by ${name}, %i per page`,
      async (first) => {
        expect(await walk(agent, first, 8, undefined, orderBy)).toEqual(expected());
      },
    );
  }

  it('walks a filtered list exactly once too', async () => {
    const filter: ClaimFilter = { kind: 'PROPERTY_DAMAGE' };
    expect(await walk(agent, 2, 6, filter, { field: 'AMOUNT', direction: 'DESC' })).toEqual(
      ids(
        byAmount()
          .reverse()
          .filter((claim) => newestFirst(0, 2, 3, 4, 6, 7).includes(claim.id)),
      ),
    );
  });

  it('accepts up to 100 per page', async () => {
    const { claims } = await agent.data(ClaimsDocument, { first: 100 });
    expect(claims.edges).toHaveLength(8);
    expect(claims.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: claims.edges[0].cursor,
      endCursor: claims.edges[7].cursor,
    });
  });
});

describe('filters', () => {
  const cases: [name: string, filter: () => ClaimFilter, positions: number[]][] = [
    ['one status', () => ({ statuses: ['SCREENING'] }), [3]],
    ['another status', () => ({ statuses: ['SUBMITTED'] }), [0, 1, 2, 4, 5, 6, 7]],
    ['several statuses', () => ({ statuses: ['SUBMITTED', 'SCREENING'] }), [0, 1, 2, 3, 4, 5, 6, 7]],
    ['a status no claim has', () => ({ statuses: ['DENIED'] }), []],
    // Claims covering both kinds match either kind.
    ['kind PERSONAL_INJURY', () => ({ kind: 'PERSONAL_INJURY' }), [1, 2, 5, 6]],
    ['kind PROPERTY_DAMAGE', () => ({ kind: 'PROPERTY_DAMAGE' }), [0, 2, 3, 4, 6, 7]],
    ['seller sell-a', () => ({ sellerId: market.sellers['sell-a'] }), [0, 1, 3, 4, 5]],
    ['seller sell-b', () => ({ sellerId: market.sellers['sell-b'] }), [2, 6, 7]],
    ['customer cust-b', () => ({ customerId: market.customers['cust-b'] }), [4, 5, 6, 7]],
    // filedFrom is inclusive and filedBefore exclusive, so back-to-back ranges never overlap.
    ['a filed-at range', () => ({ filedFrom: filed[2].filedAt, filedBefore: filed[5].filedAt }), [2, 3, 4]],
    ['filed from a time on', () => ({ filedFrom: filed[6].filedAt }), [6, 7]],
    ['filed before a time', () => ({ filedBefore: filed[1].filedAt }), [0]],
    ['an empty range', () => ({ filedFrom: filed[4].filedAt, filedBefore: filed[4].filedAt }), []],
    [
      'customer and kind',
      () => ({ customerId: market.customers['cust-b'], kind: 'PERSONAL_INJURY' }),
      [5, 6],
    ],
    [
      'seller, status and time',
      () => ({ sellerId: market.sellers['sell-a'], statuses: ['SUBMITTED'], filedFrom: filed[1].filedAt }),
      [1, 4, 5],
    ],
    [
      'seller, customer and kind',
      () => ({
        sellerId: market.sellers['sell-b'],
        customerId: market.customers['cust-a'],
        kind: 'PROPERTY_DAMAGE',
      }),
      [2],
    ],
  ];

  it.each(cases)('by %s, with a total of the matches only', async (_name, filter, positions) => {
    expect(await list(agent, filter())).toEqual({
      ids: newestFirst(...positions),
      totalCount: positions.length,
    });
  });

  it('narrow what the caller may see but never widen it', async () => {
    const custA = await t.as(Role.CUSTOMER, 'cust-a');
    expect(await list(custA, { customerId: market.customers['cust-b'] })).toEqual({ ids: [], totalCount: 0 });
    expect(await list(custA, { kind: 'PERSONAL_INJURY' })).toEqual({ ids: newestFirst(1, 2), totalCount: 2 });
  });
});

describe('argument checks', () => {
  it.each([0, -1, 101])('refuses first: %i with BAD_USER_INPUT', async (first) => {
    const response = await agent.execute(ClaimsDocument, { first });
    expect(response.errors).toEqual(badUserInput('first'));
    expect(response.data).toBeNull();
  });

  const malformed: [string, string][] = [
    ['not base64url', 'not a cursor!'],
    ['not JSON', Buffer.from('FILED_AT|2026-06-15|1').toString('base64url')],
    ['JSON of the wrong shape', forgedCursor({ sortKey: 'FILED_AT', id: 1 })],
    ['too few parts', forgedCursor(['FILED_AT', '2026-06-15T13:00:00.000Z'])],
    ['a value that is not a time', forgedCursor(['FILED_AT', 'yesterday', 1])],
    ['an id that is not a number', forgedCursor(['FILED_AT', '2026-06-15T13:00:00.000Z', '1'])],
    ['an unknown ordering', forgedCursor(['PRIORITY', '1', 1])],
    ['the empty string', ''],
  ];

  it.each(malformed)('refuses an after cursor that is %s with BAD_USER_INPUT', async (_name, after) => {
    const response = await agent.execute(ClaimsDocument, { first: 2, after });
    expect(response.errors).toEqual(badUserInput('after'));
    expect(response.data).toBeNull();
  });

  it('refuses a cursor of another sort field with BAD_USER_INPUT', async () => {
    const byFiledAt = await agent.data(ClaimsDocument, { first: 2 });
    const byAmount = await agent.data(ClaimsDocument, {
      first: 2,
      orderBy: { field: 'AMOUNT', direction: 'ASC' },
    });
    const amountWithFiledAtCursor = await agent.execute(ClaimsDocument, {
      first: 2,
      after: byFiledAt.claims.pageInfo.endCursor,
      orderBy: { field: 'AMOUNT', direction: 'ASC' },
    });
    expect(amountWithFiledAtCursor.errors).toEqual(badUserInput('after'));
    const filedAtWithAmountCursor = await agent.execute(ClaimsDocument, {
      first: 2,
      after: byAmount.claims.pageInfo.endCursor,
    });
    expect(filedAtWithAmountCursor.errors).toEqual(badUserInput('after'));
  });

  it('refuses a cursor of the same field in the other direction with BAD_USER_INPUT', async () => {
    // Read against the other direction, the cursor would silently start a different list.
    const newest = await agent.data(ClaimsDocument, { first: 2 });
    const response = await agent.execute(ClaimsDocument, {
      first: 2,
      after: newest.claims.pageInfo.endCursor,
      orderBy: { field: 'FILED_AT', direction: 'ASC' },
    });
    expect(response.errors).toEqual(badUserInput('after'));
  });

  it.each<[name: string, orderBy: ClaimOrder | undefined, cursor: unknown[]]>([
    [
      'an amount beyond a 64-bit integer',
      { field: 'AMOUNT', direction: 'ASC' },
      ['AMOUNT', '9999999999999999999', 1],
    ],
    [
      'a time beyond any calendar the database keeps',
      undefined,
      ['FILED_AT', '+099999-01-01T00:00:00.000Z', 1],
    ],
  ])(
    'refuses a forged cursor holding %s with BAD_USER_INPUT, not an internal error',
    async (_name, orderBy, cursor) => {
      const response = await agent.execute(ClaimsDocument, {
        first: 2,
        after: forgedCursor(cursor),
        orderBy,
      });
      expect(response.errors).toEqual(badUserInput('after'));
      expect(response.data).toBeNull();
    },
  );

  it.each([
    ['sellerId', 'a Customer id', () => ({ sellerId: market.customers['cust-a'] })],
    ['sellerId', 'an Order id', () => ({ sellerId: market.orders['ord-a1'].id })],
    ['sellerId', 'not an id at all', () => ({ sellerId: 'sell-a' })],
    ['customerId', 'a Seller id', () => ({ customerId: market.sellers['sell-a'] })],
  ])('refuses a %s filter that is %s with BAD_USER_INPUT', async (field, _name, filter) => {
    const response = await agent.execute(ClaimsDocument, { first: 10, filter: filter() });
    expect(response.errors).toEqual(badUserInput(`filter.${field}`));
    expect(response.data).toBeNull();
  });
});

describe('claims filed at the same instant with the same amount', () => {
  // A separate server: ties need claims whose sort values collide, which the main scenario avoids.
  let tied: TestServer;
  let tiedIds: string[];

  beforeAll(async () => {
    tied = await startTestServer();
    const tiedMarket = await seedMarketplace(tied);
    const tiedAgent = await tied.agent();
    tiedIds = [];
    const filings: [string, ClaimKind][] = [
      ['ord-a1', 'PROPERTY_DAMAGE'],
      ['ord-a2', 'PROPERTY_DAMAGE'],
      ['ord-a3', 'PROPERTY_DAMAGE'],
      ['ord-b1', 'PROPERTY_DAMAGE'],
      ['ord-b2', 'PROPERTY_DAMAGE'],
    ];
    for (const [orderRef, kind] of filings) {
      const { fileClaim } = await tiedAgent.data(FileClaimDocument, {
        input: claimInput(tiedMarket.orders[orderRef].id, {
          kinds: [kind],
          amountClaimed: { amount: '42.00', currencyCode: 'USD' },
        }),
      });
      expect(fileClaim.userErrors).toEqual([]);
      tiedIds.push(fileClaim.claim!.id);
    }
  });

  afterAll(async () => {
    await tied?.stop();
  });

  // Ties are broken by filing order (the id), in the direction of the sort.
  it.each([
    ['FILED_AT', 'ASC'],
    ['FILED_AT', 'DESC'],
    ['AMOUNT', 'ASC'],
    ['AMOUNT', 'DESC'],
  ] as const)('are walked exactly once by %s %s, two per page', async (field, direction) => {
    const expected = direction === 'ASC' ? tiedIds : [...tiedIds].reverse();
    expect(await walk(await tied.agent(), 2, 5, undefined, { field, direction })).toEqual(expected);
  });
});
