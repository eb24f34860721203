import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import {
  AddInsuranceProviderDocument,
  type AddInsuranceProviderInput,
  BindInsuranceQuoteDocument,
  DeclineInsuranceQuoteDocument,
  FileClaimDocument,
  InsuranceProvidersDocument,
  OpenQuoteRequestsDocument,
  type QuoteFieldsFragment,
  QuoteRequestDocument,
  type QuoteRequestQueryVariables,
  QuoteRequestsDocument,
  RecordOrderDocument,
  ReinstateInsuranceProviderDocument,
  RequestInsuranceQuotesDocument,
  SellerInsuranceProfileDocument,
  SubmitInsuranceQuoteDocument,
  SuspendInsuranceProviderDocument,
  UpdateInsuranceProviderDocument,
  UpdateSellerInsuranceProfileDocument,
  type UpdateSellerInsuranceProfileInput,
  UpsertSellerDocument,
} from './__generated__/graphql';
import { claimInput, establishedCustomer, seedMarketplace } from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { usd } from './support/money';
import { startTestServer, TEST_NOW, type TestServer } from './support/test-server';
import { at, DAY } from './support/time';

let t: TestServer;
let agent: GraphQLClient;
const providerIds: Record<string, string> = {};

/** The network the tests quote in: three built-in rating models and one partner insurer. */
const NETWORK: AddInsuranceProviderInput[] = [
  {
    externalRef: 'ins-keystone',
    name: 'Keystone General',
    naicCode: '10001',
    financialRating: 'A_PLUS',
    vetted: true,
    ratingModel: 'GENERAL_MERCHANDISE',
  },
  {
    externalRef: 'ins-voltline',
    name: 'Voltline Specialty',
    naicCode: '10002',
    financialRating: 'A_MINUS',
    vetted: true,
    ratingModel: 'ELECTRONICS_SPECIALIST',
  },
  {
    externalRef: 'ins-prairie',
    name: 'Prairie Budget',
    naicCode: '10003',
    financialRating: 'B_PLUS',
    vetted: true,
    ratingModel: 'BUDGET_CARRIER',
  },
  {
    externalRef: 'ins-partner',
    name: 'Harbor Partner',
    naicCode: '10004',
    financialRating: 'A',
    vetted: true,
  },
  // Outside the network: never asked for a quote.
  {
    externalRef: 'ins-outside',
    name: 'Outside Mutual',
    naicCode: '10005',
    financialRating: 'A',
    vetted: false,
  },
];

const PROFILE: UpdateSellerInsuranceProfileInput = {
  productCategories: ['Electronics', 'home'],
  annualRevenue: { amount: '750000.00', currencyCode: 'USD' },
  unitsSold: 12_000,
  yearsInBusiness: 3,
};

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
  agent = await t.agent();
  for (const input of NETWORK) {
    const { addInsuranceProvider } = await agent.data(AddInsuranceProviderDocument, { input });
    expect(addInsuranceProvider.userErrors).toEqual([]);
    providerIds[input.externalRef] = addInsuranceProvider.provider!.id;
  }
});

afterAll(async () => {
  await t?.stop();
});

let sellers = 0;

/** A new seller with an insurance profile; returns its reference and a client acting as it. */
async function sellerWithProfile(profile: Partial<UpdateSellerInsuranceProfileInput> = {}) {
  sellers += 1;
  const ref = `sell-ins-${sellers}`;
  const { upsertSeller } = await agent.data(UpsertSellerDocument, {
    input: { externalRef: ref, name: `Insured ${sellers}`, contactEmail: `${ref}@example.com` },
  });
  const client = await t.as(Role.SELLER, ref);
  const { updateSellerInsuranceProfile } = await client.data(UpdateSellerInsuranceProfileDocument, {
    input: { ...PROFILE, ...profile },
  });
  expect(updateSellerInsuranceProfile.userErrors).toEqual([]);
  return { ref, id: upsertSeller.seller!.id, client };
}

let keys = 0;

async function requestQuotes(seller: GraphQLClient, coverageStart?: string) {
  keys += 1;
  const { requestInsuranceQuotes } = await seller.data(RequestInsuranceQuotesDocument, {
    input: { idempotencyKey: `quotes-${keys}`, coverageStart },
  });
  expect(requestInsuranceQuotes.userErrors).toEqual([]);
  return requestInsuranceQuotes.quoteRequest!;
}

async function quotesOf(client: GraphQLClient, variables: QuoteRequestQueryVariables) {
  const { quoteRequest } = await client.data(QuoteRequestDocument, variables);
  return quoteRequest?.quotes ?? null;
}

/** A quote as "provider premium" (or "provider status"), to compare orderings at a glance. */
const label = (quote: QuoteFieldsFragment) =>
  `${quote.provider.externalRef} ${quote.annualPremium?.amount ?? quote.status}`;
const codes = (errors: { field: string[]; code: string }[]) =>
  errors.map((error) => [error.field.join('.'), error.code]);

describe('the provider network', () => {
  it('lists providers by name, filters the vetted network, and shows each rating as insurers write it', async () => {
    const { insuranceProviders } = await agent.data(InsuranceProvidersDocument, {
      first: 10,
      filter: { vetted: true },
    });
    expect(
      insuranceProviders.edges.map(({ node }) => [
        node.name,
        node.financialRatingLabel,
        node.quotesInstantly,
        node.status,
      ]),
    ).toEqual([
      ['Harbor Partner', 'A', false, 'ACTIVE'],
      ['Keystone General', 'A+', true, 'ACTIVE'],
      ['Prairie Budget', 'B+', true, 'ACTIVE'],
      ['Voltline Specialty', 'A-', true, 'ACTIVE'],
    ]);
    // Sellers choose among them too.
    const seller = await t.as(Role.SELLER, 'sell-a');
    const all = await seller.data(InsuranceProvidersDocument, { first: 2 });
    expect(all.insuranceProviders.totalCount).toBe(5);
    expect(all.insuranceProviders.pageInfo.hasNextPage).toBe(true);
    const next = await seller.data(InsuranceProvidersDocument, {
      first: 10,
      after: all.insuranceProviders.pageInfo.endCursor,
    });
    expect(next.insuranceProviders.edges.map(({ node }) => node.name)).toEqual([
      'Outside Mutual',
      'Prairie Budget',
      'Voltline Specialty',
    ]);
  });

  it('refuses a malformed NAIC code, a duplicate reference or code, an unknown rating model, and non-agents', async () => {
    const base = {
      externalRef: 'ins-new',
      name: 'New Insurer',
      naicCode: '20001',
      financialRating: 'A' as const,
      vetted: true,
    };
    const refused = async (input: AddInsuranceProviderInput) =>
      (await agent.data(AddInsuranceProviderDocument, { input })).addInsuranceProvider;
    expect(codes((await refused({ ...base, naicCode: '2001' })).userErrors)).toEqual([
      ['input.naicCode', 'INVALID_FORMAT'],
    ]);
    expect(codes((await refused({ ...base, externalRef: 'ins-keystone' })).userErrors)).toEqual([
      ['input.externalRef', 'DUPLICATE_VALUE'],
    ]);
    expect(codes((await refused({ ...base, naicCode: '10001' })).userErrors)).toEqual([
      ['input.naicCode', 'DUPLICATE_VALUE'],
    ]);
    expect(codes((await refused({ ...base, ratingModel: 'NO_SUCH_MODEL' })).userErrors)).toEqual([
      ['input.ratingModel', 'NOT_FOUND'],
    ]);
    const seller = await t.as(Role.SELLER, 'sell-a');
    expect(
      (await seller.execute(AddInsuranceProviderDocument, { input: base })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const { insuranceProviders } = await agent.data(InsuranceProvidersDocument, { first: 100 });
    expect(insuranceProviders.edges.map(({ node }) => node.externalRef)).not.toContain('ins-new');
  });

  it('a suspended provider is not asked for quotes, and is asked again once reinstated', async () => {
    const { ref, client } = await sellerWithProfile();
    const { suspendInsuranceProvider } = await agent.data(SuspendInsuranceProviderDocument, {
      input: { providerId: providerIds['ins-voltline'] },
    });
    expect(suspendInsuranceProvider.provider?.status).toBe('SUSPENDED');
    try {
      const request = await requestQuotes(client);
      expect(request.seller.externalRef).toBe(ref);
      expect(new Set(request.quotes.edges.map(({ node }) => node.provider.externalRef))).toEqual(
        new Set(['ins-keystone', 'ins-prairie', 'ins-partner']),
      );
    } finally {
      await agent.data(ReinstateInsuranceProviderDocument, {
        input: { providerId: providerIds['ins-voltline'] },
      });
    }
    const again = await requestQuotes(client);
    expect(again.quotes.edges.map(({ node }) => node.provider.externalRef)).toContain('ins-voltline');
  });
});

describe("a seller's insurance profile", () => {
  it('is refused with a userError per bad field, and nothing is stored', async () => {
    const { client } = await sellerWithProfile();
    const before = (await client.data(SellerInsuranceProfileDocument, {})).sellerInsuranceProfile;
    const { updateSellerInsuranceProfile } = await client.data(UpdateSellerInsuranceProfileDocument, {
      input: {
        productCategories: ['toys', 'TOYS'],
        annualRevenue: { amount: '-1.00', currencyCode: 'USD' },
        unitsSold: -5,
        yearsInBusiness: 300,
      },
    });
    expect(codes(updateSellerInsuranceProfile.userErrors)).toEqual([
      ['input.productCategories', 'DUPLICATE_VALUE'],
      ['input.annualRevenue.amount', 'AMOUNT_NOT_POSITIVE'],
      ['input.unitsSold', 'OUT_OF_RANGE'],
      ['input.yearsInBusiness', 'OUT_OF_RANGE'],
    ]);
    const empty = await client.data(UpdateSellerInsuranceProfileDocument, {
      input: { ...PROFILE, productCategories: [], annualRevenue: { amount: '10.00', currencyCode: 'XYZ' } },
    });
    expect(codes(empty.updateSellerInsuranceProfile.userErrors)).toEqual([
      ['input.productCategories', 'REQUIRED'],
      ['input.annualRevenue.currencyCode', 'UNSUPPORTED_CURRENCY'],
    ]);
    expect((await client.data(SellerInsuranceProfileDocument, {})).sellerInsuranceProfile).toEqual(before);
  });

  it("reads its claims history from claimgraph's claims, and the history prices the quotes", async () => {
    const { ref, client } = await sellerWithProfile();
    expect((await client.data(SellerInsuranceProfileDocument, {})).sellerInsuranceProfile).toEqual({
      productCategories: ['electronics', 'home'],
      unitsSold: 12_000,
      yearsInBusiness: 3,
      updatedAt: TEST_NOW.toISOString(),
      seller: { externalRef: ref },
      annualRevenue: usd('750000.00'),
      claimsHistory: { windowYears: 3, claims: 0, paidClaims: 0, deniedClaims: 0, openClaims: 0 },
    });
    const before = await requestQuotes(client);

    // A small claim against the seller, paid by the marketplace as a concession.
    const customerRef = `cust-of-${ref}`;
    await establishedCustomer(t, customerRef);
    const { recordOrder } = await agent.data(RecordOrderDocument, {
      input: {
        externalRef: `ord-${ref}`,
        customerRef,
        sellerRef: ref,
        productRef: 'prod-heater',
        quantity: 1,
        price: usd('89.99'),
        purchasedAt: '2026-05-01T10:00:00.000Z',
        deliveredAt: '2026-05-04T15:00:00.000Z',
      },
    });
    const customer = await t.as(Role.CUSTOMER, customerRef);
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(recordOrder.order!.id),
    });
    expect(fileClaim.userErrors).toEqual([]);
    await t.runJobs();
    const { sellerInsuranceProfile } = await agent.data(SellerInsuranceProfileDocument, {
      sellerId: await sellerIdOf(ref),
    });
    expect(sellerInsuranceProfile?.claimsHistory).toEqual({
      windowYears: 3,
      claims: 1,
      paidClaims: 1,
      deniedClaims: 0,
      openClaims: 0,
    });

    // Keystone's loss factor goes from 0.900 (no paid claim) to 1.100 (one).
    const after = await requestQuotes(client);
    expect(after.profile.claimsHistory).toEqual({
      windowYears: 3,
      claims: 1,
      paidClaims: 1,
      deniedClaims: 0,
      openClaims: 0,
    });
    const keystone = (request: typeof before) =>
      request.quotes.edges
        .map(({ node }) => node)
        .filter((quote) => quote.provider.externalRef === 'ins-keystone');
    // Cheapest first: the $1M/$1M option with a $10,000 deductible, the base option, $2M/$4M.
    expect(keystone(before).map((quote) => quote.annualPremium?.amount)).toEqual([
      '1017.45',
      '1197.00',
      '1855.35',
    ]);
    expect(keystone(after).map((quote) => quote.annualPremium?.amount)).toEqual([
      '1243.55',
      '1463.00',
      '2267.65',
    ]);
    expect(keystone(after)[1].ratingFactors).toEqual([
      { name: 'base premium', factor: '950.00', reason: '950.00 USD a year before factors' },
      { name: 'category', factor: '1.400', reason: 'riskiest category: electronics' },
      { name: 'revenue', factor: '1.000', reason: 'revenue below 1000000.00 USD' },
      { name: 'loss history', factor: '1.100', reason: '1 paid claim(s) in 3 years' },
      {
        name: 'limits and deductible',
        factor: '1.000',
        reason: '1000000.00/2000000.00 with a 5000.00 deductible',
      },
    ]);
  });

  it('another seller cannot read it; an agent must name the seller', async () => {
    const { id } = await sellerWithProfile();
    const other = await t.as(Role.SELLER, 'sell-b');
    expect(
      (await other.data(SellerInsuranceProfileDocument, { sellerId: id })).sellerInsuranceProfile,
    ).toBeNull();
    expect((await agent.data(SellerInsuranceProfileDocument, {})).sellerInsuranceProfile).toBeNull();
    expect(
      (await agent.data(SellerInsuranceProfileDocument, { sellerId: id })).sellerInsuranceProfile?.unitsSold,
    ).toBe(12_000);
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    expect(
      (await customer.execute(SellerInsuranceProfileDocument, { sellerId: id })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');
  });
});

async function sellerIdOf(ref: string): Promise<string> {
  const { upsertSeller } = await agent.data(UpsertSellerDocument, {
    input: { externalRef: ref, name: `Insured ${ref.split('-').at(-1)}`, contactEmail: `${ref}@example.com` },
  });
  return upsertSeller.seller!.id;
}

describe('asking the network for quotes', () => {
  it('every active vetted provider answers: built-in models at once, partners pending; nobody outside the network', async () => {
    const { ref, client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    expect(request).toMatchObject({
      status: 'OPEN',
      coverageStart: '2026-06-15',
      coverageEnd: '2027-06-14',
      respondBy: at(5 * DAY),
      requestedAt: TEST_NOW.toISOString(),
      seller: { externalRef: ref },
      profile: {
        productCategories: ['electronics', 'home'],
        unitsSold: 12_000,
        yearsInBusiness: 3,
        annualRevenue: usd('750000.00'),
        claimsHistory: { windowYears: 3, claims: 0, paidClaims: 0, deniedClaims: 0, openClaims: 0 },
      },
    });
    // Cheapest first; the pending partner quote, with no premium yet, last.
    expect(request.quotes.edges.map(({ node }) => label(node))).toEqual([
      'ins-prairie 504.00',
      'ins-prairie 720.00',
      'ins-keystone 1017.45',
      'ins-keystone 1197.00',
      'ins-voltline 1504.80',
      'ins-keystone 1855.35',
      'ins-voltline 2106.72',
      'ins-partner PENDING',
    ]);
    const keystone = request.quotes.edges.find(({ node }) => label(node) === 'ins-keystone 1197.00')!.node;
    expect(keystone).toEqual({
      id: expect.any(String),
      status: 'OFFERED',
      coverageStart: '2026-06-15',
      coverageEnd: '2027-06-14',
      validUntil: at(30 * DAY),
      declineReason: null,
      respondedAt: TEST_NOW.toISOString(),
      additionalInsured: true,
      meetsRequirements: true,
      provider: { externalRef: 'ins-keystone', name: 'Keystone General', financialRating: 'A_PLUS' },
      annualPremium: usd('1197.00'),
      sellerPays: usd('1197.00'),
      marketplaceFee: usd('0.00'),
      perOccurrenceLimit: usd('1000000.00'),
      aggregateLimit: usd('2000000.00'),
      deductible: usd('5000.00'),
      requirementChecks: [
        {
          requirement: 'PER_OCCURRENCE_LIMIT',
          passed: true,
          required: 'at least 1000000.00 USD per occurrence',
          actual: '1000000.00 USD',
        },
        {
          requirement: 'AGGREGATE_LIMIT',
          passed: true,
          required: 'at least 1000000.00 USD in aggregate',
          actual: '2000000.00 USD',
        },
        { requirement: 'DEDUCTIBLE', passed: true, required: 'at most 10000.00 USD', actual: '5000.00 USD' },
        { requirement: 'INSURER_RATING', passed: true, required: 'A- or better', actual: 'A+' },
        {
          requirement: 'ADDITIONAL_INSURED',
          passed: true,
          required: 'the marketplace named as additional insured',
          actual: 'named',
        },
      ],
      ratingFactors: expect.any(Array),
    });
    const partner = request.quotes.edges.find(
      ({ node }) => node.provider.externalRef === 'ins-partner',
    )!.node;
    expect(partner).toMatchObject({
      status: 'PENDING',
      annualPremium: null,
      sellerPays: null,
      requirementChecks: [],
      meetsRequirements: false,
      ratingFactors: null,
    });
  });

  it('checks each quote against every requirement and says which fail', async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const prairie = request.quotes.edges
      .map(({ node }) => node)
      .filter((quote) => quote.provider.externalRef === 'ins-prairie');
    const failed = (quote: QuoteFieldsFragment) => quote.requirementChecks.filter((check) => !check.passed);
    expect(failed(prairie[0])).toEqual([
      {
        requirement: 'PER_OCCURRENCE_LIMIT',
        passed: false,
        required: 'at least 1000000.00 USD per occurrence',
        actual: '500000.00 USD',
      },
      { requirement: 'INSURER_RATING', passed: false, required: 'A- or better', actual: 'B+' },
      {
        requirement: 'ADDITIONAL_INSURED',
        passed: false,
        required: 'the marketplace named as additional insured',
        actual: 'not named',
      },
    ]);
    expect(failed(prairie[1])).toEqual([
      { requirement: 'DEDUCTIBLE', passed: false, required: 'at most 10000.00 USD', actual: '25000.00 USD' },
      { requirement: 'INSURER_RATING', passed: false, required: 'A- or better', actual: 'B+' },
    ]);
    expect(prairie.map((quote) => quote.meetsRequirements)).toEqual([false, false]);
  });

  it('a provider declines what its model does not insure, with the reason', async () => {
    const { client } = await sellerWithProfile({ productCategories: ['baby'] });
    const request = await requestQuotes(client);
    const voltline = request.quotes.edges
      .map(({ node }) => node)
      .filter((quote) => quote.provider.externalRef === 'ins-voltline');
    expect(voltline).toEqual([
      expect.objectContaining({
        status: 'DECLINED',
        declineReason: 'does not insure products in: baby',
        annualPremium: null,
      }),
    ]);
    const keystone = request.quotes.edges
      .map(({ node }) => node)
      .find((quote) => quote.provider.externalRef === 'ins-keystone')!;
    expect(keystone.ratingFactors?.[1]).toEqual({
      name: 'category',
      factor: '1.500',
      reason: 'riskiest category: baby',
    });
  });

  it('is idempotent by key; refuses a reused key, a past or far start, a seller without a profile, and customers', async () => {
    const { client } = await sellerWithProfile();
    const input = { idempotencyKey: 'quotes-once', coverageStart: '2026-07-01' };
    const first = (await client.data(RequestInsuranceQuotesDocument, { input })).requestInsuranceQuotes;
    const again = (await client.data(RequestInsuranceQuotesDocument, { input })).requestInsuranceQuotes;
    expect(again.quoteRequest?.id).toBe(first.quoteRequest?.id);
    expect((await client.data(QuoteRequestsDocument, { first: 10 })).quoteRequests.totalCount).toBe(1);
    const reused = (
      await client.data(RequestInsuranceQuotesDocument, { input: { ...input, coverageStart: '2026-07-02' } })
    ).requestInsuranceQuotes;
    expect(codes(reused.userErrors)).toEqual([['input.idempotencyKey', 'IDEMPOTENCY_KEY_REUSED']]);
    const past = (
      await client.data(RequestInsuranceQuotesDocument, {
        input: { idempotencyKey: 'past', coverageStart: '2026-06-14' },
      })
    ).requestInsuranceQuotes;
    expect(codes(past.userErrors)).toEqual([['input.coverageStart', 'OUT_OF_RANGE']]);
    const far = (
      await client.data(RequestInsuranceQuotesDocument, {
        input: { idempotencyKey: 'far', coverageStart: '2026-09-14' },
      })
    ).requestInsuranceQuotes;
    expect(codes(far.userErrors)).toEqual([['input.coverageStart', 'OUT_OF_RANGE']]);
    const unprofiled = await t.as(Role.SELLER, 'sell-b');
    const missing = (
      await unprofiled.data(RequestInsuranceQuotesDocument, { input: { idempotencyKey: 'no-profile' } })
    ).requestInsuranceQuotes;
    expect(codes(missing.userErrors)).toEqual([['input', 'PROFILE_MISSING']]);
    expect((await client.data(QuoteRequestsDocument, { first: 10 })).quoteRequests.totalCount).toBe(1);
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    expect(
      (await customer.execute(RequestInsuranceQuotesDocument, { input: { idempotencyKey: 'x' } })).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
  });
});

describe('comparing quotes', () => {
  let request: Awaited<ReturnType<typeof requestQuotes>>;
  let seller: GraphQLClient;

  beforeAll(async () => {
    seller = (await sellerWithProfile()).client;
    request = await requestQuotes(seller);
  });

  const order = async (
    field: string,
    direction: 'ASC' | 'DESC',
    filter?: QuoteRequestQueryVariables['filter'],
  ) =>
    (await quotesOf(seller, {
      id: request.id,
      first: 100,
      orderBy: { field: field as never, direction },
      filter,
    }))!.edges.map(({ node }) => label(node));

  it('orders by premium, deductible, limits and rating, in either direction; quotes without the value last', async () => {
    expect(await order('PREMIUM', 'DESC')).toEqual([
      'ins-voltline 2106.72',
      'ins-keystone 1855.35',
      'ins-voltline 1504.80',
      'ins-keystone 1197.00',
      'ins-keystone 1017.45',
      'ins-prairie 720.00',
      'ins-prairie 504.00',
      'ins-partner PENDING',
    ]);
    // Equal values keep the order the quotes were made in.
    expect(await order('DEDUCTIBLE', 'ASC')).toEqual([
      'ins-keystone 1855.35',
      'ins-keystone 1197.00',
      'ins-voltline 2106.72',
      'ins-prairie 504.00',
      'ins-keystone 1017.45',
      'ins-voltline 1504.80',
      'ins-prairie 720.00',
      'ins-partner PENDING',
    ]);
    expect(await order('PER_OCCURRENCE_LIMIT', 'DESC')).toEqual([
      'ins-keystone 1855.35',
      'ins-voltline 2106.72',
      'ins-keystone 1197.00',
      'ins-keystone 1017.45',
      'ins-voltline 1504.80',
      'ins-prairie 720.00',
      'ins-prairie 504.00',
      'ins-partner PENDING',
    ]);
    expect(await order('AGGREGATE_LIMIT', 'ASC')).toEqual([
      'ins-keystone 1017.45',
      'ins-prairie 504.00',
      'ins-prairie 720.00',
      'ins-keystone 1197.00',
      'ins-voltline 1504.80',
      'ins-voltline 2106.72',
      'ins-keystone 1855.35',
      'ins-partner PENDING',
    ]);
    // Ascending rating is strongest first: A+, A, A-, B+.
    expect(await order('RATING', 'ASC')).toEqual(
      [
        'ins-keystone 1197.00',
        'ins-keystone 1855.35',
        'ins-keystone 1017.45',
        'ins-voltline 1504.80',
        'ins-voltline 2106.72',
        'ins-prairie 504.00',
        'ins-prairie 720.00',
        'ins-partner PENDING',
      ].sort((a, b) => rank(a) - rank(b)),
    );
  });

  it('filters to the quotes that meet every requirement, or to those that do not', async () => {
    expect(await order('PREMIUM', 'ASC', { meetsRequirements: true })).toEqual([
      'ins-keystone 1017.45',
      'ins-keystone 1197.00',
      'ins-voltline 1504.80',
      'ins-keystone 1855.35',
      'ins-voltline 2106.72',
    ]);
    expect(await order('PREMIUM', 'ASC', { meetsRequirements: false })).toEqual([
      'ins-prairie 504.00',
      'ins-prairie 720.00',
      'ins-partner PENDING',
    ]);
    expect(await order('PREMIUM', 'ASC', { statuses: ['PENDING'] })).toEqual(['ins-partner PENDING']);
  });

  it('pages with cursors bound to their ordering', async () => {
    const byPremium = { field: 'PREMIUM' as const, direction: 'ASC' as const };
    const first = (await quotesOf(seller, {
      id: request.id,
      first: 3,
      orderBy: byPremium,
      filter: { meetsRequirements: true },
    }))!;
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = (await quotesOf(seller, {
      id: request.id,
      first: 3,
      after: first.pageInfo.endCursor,
      orderBy: byPremium,
      filter: { meetsRequirements: true },
    }))!;
    expect([...first.edges, ...second.edges].map(({ node }) => label(node))).toEqual(
      await order('PREMIUM', 'ASC', { meetsRequirements: true }),
    );
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const wrong = await seller.execute(QuoteRequestDocument, {
      id: request.id,
      first: 3,
      after: first.pageInfo.endCursor,
      orderBy: { field: 'DEDUCTIBLE', direction: 'ASC' },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await seller.execute(QuoteRequestDocument, { id: request.id, first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('an insurer sees only its own quote of a request addressed to it; others see no request', async () => {
    const partner = await t.as(Role.INSURER, 'ins-partner');
    const own = (await quotesOf(partner, { id: request.id, first: 100 }))!;
    expect(own.totalCount).toBe(1);
    expect(own.edges.map(({ node }) => label(node))).toEqual(['ins-partner PENDING']);
    expect(
      await quotesOf(await t.as(Role.INSURER, 'ins-outside'), { id: request.id, first: 100 }),
    ).toBeNull();
    expect(await quotesOf(await t.as(Role.SELLER, 'sell-b'), { id: request.id, first: 100 })).toBeNull();
    expect(await quotesOf(agent, { id: request.id, first: 100 })).toMatchObject({ totalCount: 8 });
  });
});

/** Ratings strongest first, as the tests list providers. */
function rank(labelled: string): number {
  return ['ins-keystone', 'ins-partner', 'ins-voltline', 'ins-prairie'].indexOf(labelled.split(' ')[0]);
}

describe('partner insurers answering', () => {
  it('see the open requests addressed to them and offer a quote, checked like any other', async () => {
    const { ref, client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const partner = await t.as(Role.INSURER, 'ins-partner');
    const open = (await openRequests(partner)).find((node) => node.id === request.id)!;
    expect(open).toMatchObject({
      status: 'OPEN',
      seller: { externalRef: ref },
      profile: { productCategories: ['electronics', 'home'], annualRevenue: usd('750000.00') },
    });
    const quoteId = open.quotes.edges[0].node.id;
    expect(open.quotes.edges.map(({ node }) => node.provider.externalRef)).toEqual(['ins-partner']);

    const validUntil = at(10 * DAY);
    const offer = {
      quoteId,
      annualPremium: usd('1300.00'),
      perOccurrenceLimit: usd('1000000.00'),
      aggregateLimit: usd('2000000.00'),
      deductible: usd('1000.00'),
      additionalInsured: true,
      validUntil,
    };
    const { submitInsuranceQuote } = await partner.data(SubmitInsuranceQuoteDocument, { input: offer });
    expect(submitInsuranceQuote.userErrors).toEqual([]);
    expect(submitInsuranceQuote.quote).toMatchObject({
      status: 'OFFERED',
      annualPremium: usd('1300.00'),
      sellerPays: usd('1300.00'),
      validUntil,
      meetsRequirements: true,
      respondedAt: TEST_NOW.toISOString(),
    });
    const again = await partner.data(SubmitInsuranceQuoteDocument, { input: offer });
    expect(codes(again.submitInsuranceQuote.userErrors)).toEqual([
      ['input.quoteId', 'QUOTE_ALREADY_ANSWERED'],
    ]);
    expect((await openRequests(partner)).map((node) => node.id)).not.toContain(request.id);
    // The seller sees the offer among the others.
    expect((await order(client, request.id)).filter((entry) => entry.startsWith('ins-partner'))).toEqual([
      'ins-partner 1300.00',
    ]);
  });

  it('refuse inconsistent offers with userErrors, and write nothing', async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const partner = await t.as(Role.INSURER, 'ins-partner');
    const quoteId = (await quotesOf(partner, { id: request.id, first: 1 }))!.edges[0].node.id;
    const good = {
      quoteId,
      annualPremium: usd('900.00'),
      perOccurrenceLimit: usd('1000000.00'),
      aggregateLimit: usd('1000000.00'),
      deductible: usd('0'),
      additionalInsured: true,
      validUntil: at(DAY),
    };
    const refused = async (changes: Partial<typeof good>) =>
      codes(
        (await partner.data(SubmitInsuranceQuoteDocument, { input: { ...good, ...changes } }))
          .submitInsuranceQuote.userErrors,
      );
    expect(await refused({ aggregateLimit: usd('500000.00') })).toEqual([
      ['input.aggregateLimit.amount', 'OUT_OF_RANGE'],
    ]);
    expect(await refused({ deductible: usd('1000000.00') })).toEqual([
      ['input.deductible.amount', 'OUT_OF_RANGE'],
    ]);
    expect(await refused({ deductible: { amount: '100.00', currencyCode: 'EUR' } })).toEqual([
      ['input.deductible.currencyCode', 'CURRENCY_MISMATCH'],
    ]);
    expect(
      await refused({
        annualPremium: { amount: '900.00', currencyCode: 'EUR' },
        perOccurrenceLimit: { amount: '1000000.00', currencyCode: 'EUR' },
        aggregateLimit: { amount: '1000000.00', currencyCode: 'EUR' },
        deductible: { amount: '0', currencyCode: 'EUR' },
      }),
    ).toEqual([['input.annualPremium.currencyCode', 'CURRENCY_MISMATCH']]);
    expect(await refused({ annualPremium: usd('0.00') })).toEqual([
      ['input.annualPremium.amount', 'AMOUNT_NOT_POSITIVE'],
    ]);
    expect(await refused({ validUntil: TEST_NOW.toISOString() })).toEqual([
      ['input.validUntil', 'OUT_OF_RANGE'],
    ]);
    expect(await refused({ validUntil: at(91 * DAY) })).toEqual([['input.validUntil', 'OUT_OF_RANGE']]);
    // Another insurer's quote does not exist for this one.
    const keystone = await t.as(Role.INSURER, 'ins-keystone');
    expect(
      codes(
        (await keystone.data(SubmitInsuranceQuoteDocument, { input: good })).submitInsuranceQuote.userErrors,
      ),
    ).toEqual([['input.quoteId', 'NOT_FOUND']]);
    expect((await quotesOf(partner, { id: request.id, first: 1 }))!.edges[0].node.status).toBe('PENDING');
    // A zero deductible is allowed.
    expect(await refused({})).toEqual([]);
  });

  it('may decline; a request not answered in time expires and can no longer be answered', async () => {
    const partner = await t.as(Role.INSURER, 'ins-partner');
    const declining = await requestQuotes((await sellerWithProfile()).client);
    const declineId = (await quotesOf(partner, { id: declining.id, first: 1 }))!.edges[0].node.id;
    const { declineInsuranceQuote } = await partner.data(DeclineInsuranceQuoteDocument, {
      input: { quoteId: declineId, reason: 'Outside our appetite for home electronics.' },
    });
    expect(declineInsuranceQuote.quote).toMatchObject({
      status: 'DECLINED',
      declineReason: 'Outside our appetite for home electronics.',
    });

    const { client } = await sellerWithProfile();
    const late = await requestQuotes(client);
    const quoteId = (await quotesOf(partner, { id: late.id, first: 1 }))!.edges[0].node.id;
    t.clock.advance(5 * DAY);
    try {
      expect(
        (await quotesOf(client, { id: late.id, first: 100, filter: { statuses: ['EXPIRED'] } }))!.edges.map(
          ({ node }) => node.provider.externalRef,
        ),
      ).toEqual(['ins-partner']);
      const { openQuoteRequests } = await partner.data(OpenQuoteRequestsDocument, { first: 20 });
      expect(openQuoteRequests.edges.map(({ node }) => node.id)).not.toContain(late.id);
      const tooLate = await partner.data(DeclineInsuranceQuoteDocument, {
        input: { quoteId, reason: 'late' },
      });
      expect(codes(tooLate.declineInsuranceQuote.userErrors)).toEqual([['input.quoteId', 'QUOTE_EXPIRED']]);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });
});

/** Every request waiting for the insurer's answer, page by page (oldest first). */
async function openRequests(insurer: GraphQLClient) {
  const nodes = [];
  let after: string | null | undefined;
  do {
    const { openQuoteRequests } = await insurer.data(OpenQuoteRequestsDocument, { first: 20, after });
    nodes.push(...openQuoteRequests.edges.map(({ node }) => node));
    after = openQuoteRequests.pageInfo.hasNextPage ? openQuoteRequests.pageInfo.endCursor : null;
  } while (after);
  return nodes;
}

async function order(client: GraphQLClient, requestId: string): Promise<string[]> {
  return (await quotesOf(client, { id: requestId, first: 100 }))!.edges.map(({ node }) => label(node));
}

describe('binding a quote', () => {
  const quoteOf = (request: Awaited<ReturnType<typeof requestQuotes>>, wanted: string) =>
    request.quotes.edges.find(({ node }) => label(node) === wanted)!.node;

  it('gives a verified policy from the cover start; the other quotes are not taken; a retry returns the same policy', async () => {
    const { ref, client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const chosen = quoteOf(request, 'ins-keystone 1197.00');
    const before = await policyCount();
    const { bindInsuranceQuote } = await client.data(BindInsuranceQuoteDocument, {
      input: { quoteId: chosen.id, idempotencyKey: 'bind-1' },
    });
    expect(bindInsuranceQuote.userErrors).toEqual([]);
    expect(bindInsuranceQuote.policy).toEqual({
      id: expect.any(String),
      policyNumber: expect.stringMatching(/^CG-10001-\d{8}$/),
      effectiveFrom: '2026-06-15',
      effectiveTo: '2027-06-14',
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
      source: 'MARKETPLACE_QUOTE',
      additionalInsured: true,
      registeredAt: TEST_NOW.toISOString(),
      verifiedAt: TEST_NOW.toISOString(),
      verifiedByRole: 'SYSTEM',
      verificationNote: null,
      cancelledFrom: null,
      cancellationReason: null,
      seller: { externalRef: ref },
      provider: { externalRef: 'ins-keystone', name: 'Keystone General' },
      perOccurrenceLimit: usd('1000000.00'),
      aggregateLimit: usd('2000000.00'),
      deductible: usd('5000.00'),
      annualPremium: usd('1197.00'),
      marketplaceFee: usd('0.00'),
      requirementChecks: chosen.requirementChecks,
      failedRequirements: [],
      quote: { id: chosen.id, status: 'BOUND' },
      events: [
        {
          type: 'BOUND',
          actorRole: 'SELLER',
          occurredAt: TEST_NOW.toISOString(),
          message:
            "Bound through the marketplace: Keystone General, 2026-06-15 to 2027-06-14. The seller pays the insurer's premium only.",
        },
      ],
    });
    const after = (await quotesOf(client, { id: request.id, first: 100 }))!.edges.map(({ node }) => [
      node.id,
      node.status,
    ]);
    expect(after).toEqual(
      request.quotes.edges.map(({ node }) => [node.id, node.id === chosen.id ? 'BOUND' : 'NOT_TAKEN']),
    );
    expect((await client.data(QuoteRequestDocument, { id: request.id, first: 1 })).quoteRequest?.status).toBe(
      'BOUND',
    );

    const retry = await client.data(BindInsuranceQuoteDocument, {
      input: { quoteId: chosen.id, idempotencyKey: 'bind-1' },
    });
    expect(retry.bindInsuranceQuote).toEqual(bindInsuranceQuote);
    const reused = await client.data(BindInsuranceQuoteDocument, {
      input: { quoteId: quoteOf(request, 'ins-voltline 1504.80').id, idempotencyKey: 'bind-1' },
    });
    expect(codes(reused.bindInsuranceQuote.userErrors)).toEqual([
      ['input.idempotencyKey', 'IDEMPOTENCY_KEY_REUSED'],
    ]);
    const second = await client.data(BindInsuranceQuoteDocument, {
      input: { quoteId: quoteOf(request, 'ins-voltline 1504.80').id, idempotencyKey: 'bind-2' },
    });
    expect(codes(second.bindInsuranceQuote.userErrors)).toEqual([['input.quoteId', 'REQUEST_ALREADY_BOUND']]);
    expect(await policyCount()).toBe(before + 1);
  });

  it('a cover starting later is UPCOMING until its first day', async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client, '2026-07-01');
    const { bindInsuranceQuote } = await client.data(BindInsuranceQuoteDocument, {
      input: { quoteId: quoteOf(request, 'ins-voltline 1504.80').id, idempotencyKey: 'bind-later' },
    });
    expect(bindInsuranceQuote.policy).toMatchObject({
      effectiveFrom: '2026-07-01',
      effectiveTo: '2027-06-30',
      status: 'UPCOMING',
      deductible: usd('10000.00'),
    });
  });

  it('refuses what cannot be bound, each with its reason, and writes nothing', async () => {
    const { client } = await sellerWithProfile({ productCategories: ['baby'] });
    const request = await requestQuotes(client);
    const refused = async (quoteId: string) => {
      keys += 1;
      return codes(
        (
          await client.data(BindInsuranceQuoteDocument, {
            input: { quoteId, idempotencyKey: `refused-${keys}` },
          })
        ).bindInsuranceQuote.userErrors,
      );
    };
    const before = await policyCount();
    const prairie = request.quotes.edges
      .map(({ node }) => node)
      .find((quote) => quote.provider.externalRef === 'ins-prairie')!;
    expect(await refused(prairie.id)).toEqual([['input.quoteId', 'REQUIREMENTS_NOT_MET']]);
    expect(await refused(quoteOf(request, 'ins-partner PENDING').id)).toEqual([
      ['input.quoteId', 'QUOTE_NOT_OFFERED'],
    ]);
    expect(await refused(quoteOf(request, 'ins-voltline DECLINED').id)).toEqual([
      ['input.quoteId', 'QUOTE_NOT_OFFERED'],
    ]);
    // Another seller's quote does not exist for this one.
    const { client: other } = await sellerWithProfile();
    const othersRequest = await requestQuotes(other);
    expect(await refused(quoteOf(othersRequest, 'ins-keystone 1197.00').id)).toEqual([
      ['input.quoteId', 'NOT_FOUND'],
    ]);
    // A suspended provider's offer.
    await agent.data(SuspendInsuranceProviderDocument, {
      input: { providerId: providerIds['ins-keystone'] },
    });
    try {
      const keystone = request.quotes.edges
        .map(({ node }) => node)
        .find((quote) => quote.provider.externalRef === 'ins-keystone')!;
      expect(await refused(keystone.id)).toEqual([['input.quoteId', 'PROVIDER_SUSPENDED']]);
    } finally {
      await agent.data(ReinstateInsuranceProviderDocument, {
        input: { providerId: providerIds['ins-keystone'] },
      });
    }
    // An offer past its validity (Keystone's: 30 days).
    t.clock.advance(30 * DAY);
    try {
      const keystone = request.quotes.edges
        .map(({ node }) => node)
        .find((quote) => quote.provider.externalRef === 'ins-keystone')!;
      expect(await refused(keystone.id)).toEqual([['input.quoteId', 'QUOTE_EXPIRED']]);
    } finally {
      t.clock.set(TEST_NOW);
    }
    expect(await policyCount()).toBe(before);
    expect((await client.data(QuoteRequestDocument, { id: request.id, first: 1 })).quoteRequest?.status).toBe(
      'OPEN',
    );
  });

  it('two binds of one request at once: one policy, the other told the request is bound', async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const before = await policyCount();
    const choices = [
      'ins-keystone 1197.00',
      'ins-keystone 1017.45',
      'ins-voltline 1504.80',
      'ins-voltline 2106.72',
      'ins-keystone 1855.35',
    ];
    const results = await Promise.all(
      choices.map((choice, index) =>
        client.data(BindInsuranceQuoteDocument, {
          input: { quoteId: quoteOf(request, choice).id, idempotencyKey: `race-${index}` },
        }),
      ),
    );
    const bound = results.filter(({ bindInsuranceQuote }) => bindInsuranceQuote.policy !== null);
    expect(bound).toHaveLength(1);
    expect(
      results.filter(
        ({ bindInsuranceQuote }) => bindInsuranceQuote.userErrors[0]?.code === 'REQUEST_ALREADY_BOUND',
      ),
    ).toHaveLength(choices.length - 1);
    expect(await policyCount()).toBe(before + 1);
    const statuses = (await quotesOf(client, { id: request.id, first: 100 }))!.edges.map(
      ({ node }) => node.status,
    );
    expect(statuses.filter((status) => status === 'BOUND')).toHaveLength(1);
  });

  it('only sellers bind', async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const response = await agent.execute(BindInsuranceQuoteDocument, {
      input: { quoteId: quoteOf(request, 'ins-keystone 1197.00').id, idempotencyKey: 'agent-bind' },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

async function policyCount(): Promise<number> {
  const [row] = await t.orm.em
    .getConnection()
    .execute<{ count: string | number }[]>('select count(*) as count from insurance_policy');
  return Number(row!.count);
}

describe('updating a provider', () => {
  it("an agent changes a provider's rating; quotes are checked against the rating it has now", async () => {
    const { client } = await sellerWithProfile();
    const request = await requestQuotes(client);
    const { updateInsuranceProvider } = await agent.data(UpdateInsuranceProviderDocument, {
      input: { providerId: providerIds['ins-voltline'], financialRating: 'B' },
    });
    try {
      expect(updateInsuranceProvider.provider).toMatchObject({
        financialRating: 'B',
        financialRatingLabel: 'B',
      });
      const voltline = (await quotesOf(client, {
        id: request.id,
        first: 100,
        filter: { meetsRequirements: true },
      }))!.edges.map(({ node }) => node.provider.externalRef);
      expect(voltline).not.toContain('ins-voltline');
    } finally {
      await agent.data(UpdateInsuranceProviderDocument, {
        input: { providerId: providerIds['ins-voltline'], financialRating: 'A_MINUS' },
      });
    }
  });
});
