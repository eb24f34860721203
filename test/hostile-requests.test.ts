import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { FileClaimDocument, ViewerDocument } from './__generated__/graphql';
import { claimInput, claimTableCounts, type Marketplace, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { startTestServer, type TestServer } from './support/test-server';
import { until } from './support/waiting';

/**
 * Requests an attacker or a broken client sends. Each is refused before any work with a documented
 * code and HTTP status (README, "Refused requests"), and none of them stops the server answering
 * a legitimate caller.
 */
let t: TestServer;
let market: Marketplace;
let customer: GraphQLClient;

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  customer = await t.as(Role.CUSTOMER, 'cust-a');
});

afterAll(async () => {
  await t?.stop();
});

/** A raw HTTP request, for bodies and methods no GraphQL client would send. */
async function raw(options: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}) {
  const url = new URL(options.path ?? '/graphql', t.url);
  const response = await fetch(url, {
    method: options.method ?? 'POST',
    headers: {
      ...(options.method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body,
  });
  const text = await response.text();
  let json: GraphQLResponse<unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

function codesOf(response: { json?: GraphQLResponse<unknown> }): (string | undefined)[] {
  return (response.json?.errors ?? []).map((error) => error.extensions?.code);
}

function tokenFor(role: Role, subject: string): Promise<string> {
  return issueToken(t.config.auth.jwtSecret!, { role, subject });
}

/** Whatever was refused, no answer may carry a stack trace or the server's internals. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(
    /\bat [\w.<>]+ \(|node_modules|\/src\/|stacktrace|SqliteError|QueryFailedError|knex/i,
  );
}

/** A valid query `levels` × 4 fields deep: a request's quotes lead back to their request. */
const deep = (levels: number) =>
  `{ quoteRequest(id: "x") { ${'quotes(first: 1) { edges { node { request { '.repeat(levels)} id ${'} } } } '.repeat(levels)} } }`;

describe('hostile requests are refused with a documented code and status', () => {
  const cases: {
    name: string;
    request: () => Promise<Awaited<ReturnType<typeof raw>>>;
    status: number;
    code: string;
  }[] = [
    {
      name: 'a query nested a hundred levels deep',
      request: () => raw({ body: JSON.stringify({ query: deep(25) }) }),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    },
    {
      name: 'a thousand aliases',
      request: () =>
        raw({
          body: JSON.stringify({
            query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`,
          }),
        }),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    },
    {
      name: 'a body over 100 KB',
      request: () =>
        raw({ body: JSON.stringify({ query: `{ viewer { role } } # ${'x'.repeat(110 * 1024)}` }) }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'a query of many tokens under the size limit',
      request: () => raw({ body: JSON.stringify({ query: `{ viewer { ${'role '.repeat(5000)} } }` }) }),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    },
    {
      name: 'many directives',
      request: () =>
        raw({
          body: JSON.stringify({
            query: `{ viewer { ${'...Role @include(if: true) '.repeat(200)} } } fragment Role on ViewerInfo { role }`,
          }),
        }),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    },
    {
      name: 'a batched array of operations',
      request: () =>
        raw({ body: JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]) }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'malformed JSON',
      request: () => raw({ body: '{"query": "{ viewer { role } }"' }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a text/plain body (a cross-site form post)',
      request: () =>
        raw({
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ query: '{ viewer { role } }' }),
        }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a form-encoded body',
      request: () =>
        raw({
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'query=%7B%20viewer%20%7B%20role%20%7D%20%7D',
        }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a mutation over GET',
      request: () =>
        raw({
          method: 'GET',
          path: `/graphql?query=${encodeURIComponent('mutation { withdrawClaim(input: { claimId: "x", reason: "r" }) { userErrors { code } } }')}`,
          headers: { 'apollo-require-preflight': 'true' },
        }),
      status: 405,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a GET without a preflight header (cross-site request forgery)',
      request: () =>
        raw({ method: 'GET', path: `/graphql?query=${encodeURIComponent('{ viewer { role } }')}` }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a variable of the wrong type',
      request: () =>
        raw({
          body: JSON.stringify({
            query: 'query($first: Int!) { claims(first: $first) { totalCount } }',
            variables: { first: 'ten' },
          }),
        }),
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'a number beyond a 32-bit Int',
      request: () =>
        raw({
          body: JSON.stringify({
            query: 'query($first: Int!) { claims(first: $first) { totalCount } }',
            variables: { first: 2 ** 40 },
          }),
        }),
      status: 400,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'an inline Int literal beyond 32 bits',
      request: () =>
        raw({ body: JSON.stringify({ query: '{ claims(first: 99999999999) { totalCount } }' }) }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'an unknown field',
      request: () => raw({ body: JSON.stringify({ query: '{ viewer { role password } }' }) }),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'a query that does not parse',
      request: () => raw({ body: JSON.stringify({ query: '{ viewer { role ' }) }),
      status: 400,
      code: 'GRAPHQL_PARSE_FAILED',
    },
    {
      name: 'no query at all',
      request: () => raw({ body: JSON.stringify({ variables: {} }) }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a token whose subject holds NUL',
      request: async () =>
        raw({
          headers: { authorization: `Bearer ${await tokenFor(Role.CUSTOMER, 'cust\u0000a')}` },
          body: JSON.stringify({ query: '{ claims(first: 1) { totalCount } }' }),
        }),
      status: 200,
      code: 'UNAUTHENTICATED',
    },
    {
      name: "an agent's filter by a subject that holds NUL",
      request: async () =>
        raw({
          headers: { authorization: `Bearer ${await tokenFor(Role.AGENT, 'agent-test')}` },
          body: JSON.stringify({
            query:
              'query($who: String) { sensitiveDataAccesses(first: 1, viewerSubject: $who) { totalCount } }',
            variables: { who: 'cust\u0000a' },
          }),
        }),
      status: 200,
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'a subscription over HTTP',
      request: () => raw({ body: JSON.stringify({ query: 'subscription { notificationReceived { id } }' }) }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a persisted query whose hash does not match its text',
      request: () =>
        raw({
          body: JSON.stringify({
            query: '{ viewer { role } }',
            extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
          }),
        }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a query that is not a string',
      request: () => raw({ body: JSON.stringify({ query: { evil: true } }) }),
      status: 400,
      code: 'BAD_REQUEST',
    },
  ];

  for (const { name, request, status, code } of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const response = await request();
      expect({ status: response.status, codes: codesOf(response) }).toEqual({ status, codes: [code] });
      expectNoInternals(response.text);
    });
  }
});

describe('odd and oversized strings in inputs', () => {
  const file = async (overrides: Parameters<typeof claimInput>[1]) => {
    const before = await claimTableCounts(t);
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a1'].id, overrides),
    });
    expect(await claimTableCounts(t)).toEqual(before);
    return fileClaim.userErrors.map((error) => [error.field.join('.'), error.code]);
  };

  it('a description of a million characters is TOO_LONG, and nothing is written', async () => {
    const response = await raw({
      headers: { authorization: `Bearer ${customer.token}` },
      body: JSON.stringify({
        query: 'mutation($input: FileClaimInput!) { fileClaim(input: $input) { userErrors { code } } }',
        variables: {
          input: { ...claimInput(market.orders['ord-a1'].id), description: 'x'.repeat(1_000_000) },
        },
      }),
    });
    // Over the body limit before it is even parsed.
    expect({ status: response.status, codes: codesOf(response) }).toEqual({
      status: 413,
      codes: ['PAYLOAD_TOO_LARGE'],
    });
    expect(await file({ description: 'x'.repeat(5001) })).toEqual([['input.description', 'TOO_LONG']]);
  });

  it('control characters, including NUL, are refused; emoji, accents and right-to-left text are kept, in NFC', async () => {
    expect(await file({ description: 'burnt\u0000carpet' })).toEqual([
      ['input.description', 'INVALID_FORMAT'],
    ]);
    expect(await file({ description: 'burnt\u001bcarpet' })).toEqual([
      ['input.description', 'INVALID_FORMAT'],
    ]);
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a1'].id, {
        // "brûlé" typed with combining marks: stored composed, as the same word typed at once.
        description: 'Le radiateur a bru\u0302le\u0301 🔥 the carpet — \u202Eevil\u202C text and 名前',
      }),
    });
    expect(fileClaim.userErrors).toEqual([]);
    expect(fileClaim.claim?.description).toBe(
      'Le radiateur a brûlé 🔥 the carpet — \u202Eevil\u202C text and 名前',
    );
  });

  it('a lone surrogate in JSON is refused as a malformed string, not stored', async () => {
    const before = await claimTableCounts(t);
    const body = JSON.stringify({
      query: 'mutation($input: FileClaimInput!) { fileClaim(input: $input) { userErrors { field code } } }',
      variables: {
        input: { ...claimInput(market.orders['ord-a2'].id), description: 'half a pair: \\uD800 here' },
      },
    }).replace('\\\\uD800', '\\uD800');
    const response = await raw({ headers: { authorization: `Bearer ${customer.token}` }, body });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.json)).toContain('INVALID_FORMAT');
    expect(await claimTableCounts(t)).toEqual(before);
  });

  it('an amount with a thousand digits, an exponent or a float is refused by the Decimal type, without echoing it', async () => {
    for (const amount of ['9'.repeat(1000), '1e3', 12.5]) {
      const before = await claimTableCounts(t);
      const response = await customer.execute(FileClaimDocument, {
        input: claimInput(market.orders['ord-a2'].id, {
          amountClaimed: { amount: amount as string, currencyCode: 'USD' },
        }),
      });
      expect({
        status: response.status,
        codes: response.errors?.map((error) => error.extensions?.code),
      }).toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
      expect(response.errors?.[0]?.message).toBe(
        'Variable "$input" has an invalid value at "input.amountClaimed.amount": expected "Decimal!"',
      );
      expect(await claimTableCounts(t)).toEqual(before);
    }
  });

  it('a wrongly typed variable is refused without repeating its value, which may be personal data', async () => {
    const response = await customer.execute(FileClaimDocument, {
      input: {
        ...claimInput(market.orders['ord-a2'].id),
        injuryDetails: {
          description: 'CANARY-burns-on-both-hands',
          medicallyTreated: 'CANARY-yes' as unknown as boolean,
        },
      },
    });
    expect(response.status).toBe(400);
    expect(response.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'Variable "$input" has an invalid value at "input.injuryDetails.medicallyTreated": expected "Boolean!"',
      ],
    ]);
    expect(JSON.stringify(response)).not.toContain('CANARY');
  });
});

describe('idle connections', () => {
  it('are kept open 65 s, past the idle timeouts of clients and load balancers, so that they close them first', async () => {
    // A server closing an idle connection first races a client sending its next request on it.
    const response = await fetch(new URL('/healthz', t.url));
    await response.text();
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });
});

describe('answers', () => {
  it('are never kept by a shared cache: answered, refused or failed, over GET or POST', async () => {
    const bearer = { authorization: `Bearer ${customer.token}` };
    const answers = [
      await raw({ headers: bearer, body: JSON.stringify({ query: '{ viewer { role } }' }) }),
      await raw({
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('{ viewer { role } }')}`,
        headers: { ...bearer, 'apollo-require-preflight': 'true' },
      }),
      await raw({ headers: bearer, body: JSON.stringify({ query: '{ nosuchfield }' }) }),
      await raw({ headers: bearer, body: '{"query": ' }),
      await raw({
        headers: { authorization: 'Bearer not-a-jwt' },
        body: JSON.stringify({ query: '{ viewer { role } }' }),
      }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 400, 400, 200]);
    expect(answers[0].json?.data).toEqual({ viewer: { role: 'CUSTOMER' } });
    expect(answers[1].json?.data).toEqual({ viewer: { role: 'CUSTOMER' } });
    expect(answers.map((answer) => answer.headers.get('cache-control'))).toEqual(
      Array(answers.length).fill('no-store'),
    );
  });
});

describe('a burst of hostile requests', () => {
  it('two thousand bad requests on loopback, and a legitimate request answers in the midst of them', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const hostile = [
      JSON.stringify({
        query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`,
      }),
      '{"query": ',
      JSON.stringify([{ query: '{ viewer { role } }' }]),
      JSON.stringify({ query: '{ viewer { role password } }' }),
    ];
    const url = new URL(t.url);
    const send = (body: string) =>
      new Promise<number>((resolve) => {
        const request = http.request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
          },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', () => resolve(-1));
        request.end(body);
      });
    const total = 2_000;
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        sent += 1;
        const status = await send(hostile[sent % hostile.length]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const burst = Promise.all(Array.from({ length: 64 }, worker));
    // Once the burst is under way (a count, not a time), a customer asks who it is.
    await until(() => sent >= total / 10, 'the burst to be under way');
    const { viewer } = await customer.data(ViewerDocument);
    // It answered while the burst was still going: its request did not queue behind all of them.
    const sentMeanwhile = sent;
    await burst;
    agent.destroy();
    expect(viewer).toEqual({ role: 'CUSTOMER', subject: 'cust-a' });
    expect(sentMeanwhile).toBeLessThan(total);
    // Every hostile request got an answer, and only 4xx ones.
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(total);
  });
});
