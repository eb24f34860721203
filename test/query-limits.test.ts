import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { claimInput, claimTableCounts, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

let t: TestServer;
let market: Marketplace;

beforeAll(async () => {
  t = await startTestServer({ MAX_QUERY_DEPTH: '6', MAX_QUERY_ALIASES: '15', MAX_QUERY_COST: '1000' });
  market = await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

function expectTooComplex(response: {
  status: number;
  data?: unknown;
  errors?: { extensions?: Record<string, unknown> }[];
}) {
  expect(response.status).toBe(400);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.map((error) => error.extensions?.code)).toContain('QUERY_TOO_COMPLEX');
  expect(response.errors?.every((error) => !('stacktrace' in (error.extensions ?? {})))).toBe(true);
}

describe('query limits', () => {
  it('reports the computed cost in the response extensions', async () => {
    const agent = await t.agent();
    // viewer (1) + role (1) + subject (1)
    expect((await agent.post({ query: '{ viewer { role subject } }' })).extensions).toEqual({
      cost: { requested: 3, limit: 1000 },
    });
    // claims: 1 + first × (edges 1 + node 1 + id 1), plus totalCount 1
    const response = await agent.post({ query: '{ claims(first: 3) { totalCount edges { node { id } } } }' });
    expect(response.extensions).toEqual({ cost: { requested: 1 + 3 * (1 + 1 + 1 + 1), limit: 1000 } });
  });

  it("works a cost out with each request's variables when they change it", async () => {
    const agent = await t.agent();
    // One query text, so one parsed document shared by its requests.
    const byFirst = 'query($first: Int!) { claims(first: $first) { edges { node { id } } } }';
    const costOf = async (query: string, variables: Record<string, unknown>) =>
      (await agent.post({ query, variables })).extensions;
    expect(await costOf(byFirst, { first: 3 })).toEqual({
      cost: { requested: 1 + 3 * (1 + 1 + 1), limit: 1000 },
    });
    expect(await costOf(byFirst, { first: 5 })).toEqual({
      cost: { requested: 1 + 5 * (1 + 1 + 1), limit: 1000 },
    });
    expectTooComplex(await agent.post({ query: byFirst, variables: { first: 400 } }));
    const byDirective =
      'query($withClaims: Boolean!) { viewer { role } claims(first: 3) @include(if: $withClaims) { edges { node { id } } } }';
    expect(await costOf(byDirective, { withClaims: false })).toEqual({ cost: { requested: 2, limit: 1000 } });
    expect(await costOf(byDirective, { withClaims: true })).toEqual({
      cost: { requested: 2 + 1 + 3 * (1 + 1 + 1), limit: 1000 },
    });
  });

  it('checks the variables of every request, however often its query was costed', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const query = 'mutation($input: FileClaimInput!) { fileClaim(input: $input) { userErrors { code } } }';
    const valid = await customer.post({
      query,
      variables: {
        input: {
          ...claimInput(market.orders['ord-a1'].id),
          amountClaimed: { amount: '0.00', currencyCode: 'USD' },
        },
      },
    });
    // Well-typed, refused by the service: costed and run.
    expect(valid.data).toEqual({ fileClaim: { userErrors: [{ code: 'AMOUNT_NOT_POSITIVE' }] } });
    expect(valid.status).toBe(200);
    // The variables' own check names the place and the type, never the value (personal data here).
    const invalid = await customer.post({
      query,
      variables: {
        input: { ...claimInput(market.orders['ord-a1'].id), description: ['a fracture of the left wrist'] },
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', 'Variable "$input" has an invalid value at "input.description": expected "String!"'],
    ]);
  });

  it('rejects a query over the cost limit before running it', async () => {
    const agent = await t.agent();
    const response = await agent.post({
      query:
        '{ claims(first: 100) { edges { node { id number status timeline { id type message } evidence { id uri } } } } }',
    });
    expectTooComplex(response);
    const error = response.errors![0] as unknown as {
      extensions: { cost: { requested: number; limit: number } };
    };
    expect(error.extensions.cost.limit).toBe(1000);
    expect(error.extensions.cost.requested).toBeGreaterThan(1000);
  });

  it('rejects a query nested deeper than the depth limit, fragments included', async () => {
    const agent = await t.agent();
    // claims › edges › node › order › product › name: six levels, the configured limit.
    const atLimit = '{ claims(first: 1) { edges { node { order { product { name } } } } } }';
    expect((await agent.post({ query: atLimit })).status).toBe(200);
    const overLimit = '{ claims(first: 1) { edges { node { order { product { price { amount } } } } } } }';
    expectTooComplex(await agent.post({ query: overLimit }));
    const throughFragments =
      'query { claims(first: 1) { ...E } } fragment E on ClaimConnection { edges { node { ...N } } } fragment N on Claim { order { product { price { amount } } } }';
    expectTooComplex(await agent.post({ query: throughFragments }));
  });

  it('rejects more aliases than allowed', async () => {
    const agent = await t.agent();
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, i) => `v${i}: viewer { role }`).join(' ')} }`;
    expect((await agent.post({ query: aliases(15) })).status).toBe(200);
    expectTooComplex(await agent.post({ query: aliases(16) }));
  });

  it('rejects more directives than allowed', async () => {
    const agent = await t.agent();
    const directives = '@include(if: true) '.repeat(51);
    expectTooComplex(await agent.post({ query: `{ viewer ${directives} { role } }` }));
  });

  it('refuses an over-limit mutation before anything is written', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const before = await claimTableCounts(t);
    const response = await customer.post({
      query: `mutation($input: FileClaimInput!) { fileClaim(input: $input) { claim { ${Array.from({ length: 16 }, (_, i) => `n${i}: number`).join(' ')} } } }`,
      variables: { input: claimInput(market.orders['ord-a1'].id) },
    });
    expectTooComplex(response);
    expect(await claimTableCounts(t)).toEqual(before);
  });
});

describe('a query over the limits is refused on its limits alone', () => {
  // Sixteen aliases (the limit is fifteen) and a field no type has: full validation would report
  // both; refused before the standard rules walk the document, only the limit is reported.
  const overLimitAndInvalid = `{ ${Array.from({ length: 16 }, (_, i) => `v${i}: viewer { role }`).join(' ')} noSuchField }`;
  const limitOnly = [
    { message: 'Aliases limit of 15 exceeded, found 16.', extensions: { code: 'QUERY_TOO_COMPLEX' } },
  ];

  it('over HTTP, by POST and by GET, however often it is sent', async () => {
    const agent = await t.agent();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const posted = await agent.post({ query: overLimitAndInvalid });
      expect(posted.status).toBe(400);
      expect(posted.errors).toEqual(limitOnly);
      const viaGet = await fetch(`${t.url}?query=${encodeURIComponent(overLimitAndInvalid)}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(viaGet.status).toBe(400);
      expect(viaGet.headers.get('cache-control')).toBe('no-store');
      expect(((await viaGet.json()) as { errors: unknown }).errors).toEqual(limitOnly);
    }
  });

  it('while a query within the limits still gets the standard rules, each time it is sent', async () => {
    const agent = await t.agent();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await agent.post({ query: '{ v0: viewer { role } noSuchField }' });
      expect(response.status).toBe(400);
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('over a WebSocket, with the same errors as over HTTP for every refused document', async () => {
    const token = await issueToken(t.config.auth.jwtSecret!, { role: Role.AGENT, subject: 'agent-1' });
    const client = createClient({
      url: t.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const overWebSocket = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe(
          { query },
          { next: () => resolve('answered'), error: resolve, complete: () => resolve('completed') },
        );
      });
    const agent = await t.agent();
    try {
      expect(await overWebSocket(overLimitAndInvalid.replace('{', 'subscription {'))).toEqual(limitOnly);
      const refused = [
        overLimitAndInvalid.replace('{', 'subscription {'),
        // A literal of the wrong type: the message says what was expected, not what was written.
        'subscription { claimEvents(after: 20260615) { cursor } }',
        'subscription { claimEvents { noSuchField } }',
        'subscription { claimEvents { cursor }',
        `subscription { claimEvents { ${'cursor '.repeat(2_100)} } }`,
      ];
      for (const query of refused) {
        const overHttp = await agent.post({ query });
        expect(overHttp.status).toBe(400);
        expect(await overWebSocket(query)).toEqual(overHttp.errors);
      }
    } finally {
      await client.dispose();
    }
  });
});
