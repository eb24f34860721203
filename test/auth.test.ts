import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { createClient } from 'graphql-ws';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROLES, Role } from '../src/auth/role';
import { Claim } from '../src/entities/claim.entity';
import { Customer } from '../src/entities/customer.entity';
import { Order } from '../src/entities/order.entity';
import { Product } from '../src/entities/product.entity';
import { Seller } from '../src/entities/seller.entity';
import {
  ClaimsDocument,
  FileClaimDocument,
  RecordOrderDocument,
  UpsertCustomerDocument,
  UpsertProductDocument,
  UpsertSellerDocument,
  ViewerDocument,
} from './__generated__/graphql';
import { claimInput } from './support/fixtures';
import { GraphQLClient, type GraphQLErrorShape, type GraphQLResponse } from './support/graphql-client';
import { startTestServer, type TestServer } from './support/test-server';

let t: TestServer;
let orderId: string;

beforeAll(async () => {
  t = await startTestServer();
  // Reference data the refused mutations point at, so that only the caller's role stands between
  // each request and a written row.
  const agent = await t.agent();
  await agent.data(UpsertCustomerDocument, {
    input: { externalRef: 'cust-auth', name: 'Auth Customer', email: 'cust-auth@example.com' },
  });
  await agent.data(UpsertSellerDocument, {
    input: { externalRef: 'sell-auth', name: 'Auth Seller', contactEmail: 'sell-auth@example.com' },
  });
  await agent.data(UpsertProductDocument, {
    input: {
      externalRef: 'prod-auth',
      name: 'Kettle',
      category: 'kitchen',
      price: { amount: '30.00', currencyCode: 'USD' },
    },
  });
  const { recordOrder } = await agent.data(RecordOrderDocument, { input: orderInput('ord-auth') });
  orderId = recordOrder.order!.id;
});

afterAll(async () => {
  await t?.stop();
});

function orderInput(externalRef: string) {
  return {
    externalRef,
    customerRef: 'cust-auth',
    sellerRef: 'sell-auth',
    productRef: 'prod-auth',
    quantity: 1,
    price: { amount: '30.00', currencyCode: 'USD' },
    purchasedAt: '2026-05-01T10:00:00.000Z',
  };
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

type SigningKey = Parameters<SignJWT['sign']>[0];

interface TokenOptions {
  /** HS256 with this secret (default: the server's), or RS256 with this private key. */
  secret?: string;
  privateKey?: SigningKey;
  kid?: string;
  /** Seconds since the epoch or a jose time span; `null` leaves the claim out. */
  exp?: number | string | null;
  nbf?: number | string;
}

/** Signs exactly the claims given (no role or sub unless passed), valid for an hour by default. */
async function signToken(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const alg = options.privateKey ? 'RS256' : 'HS256';
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt();
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '1h');
  if (options.nbf !== undefined) jwt = jwt.setNotBefore(options.nbf);
  return jwt.sign(options.privateKey ?? new TextEncoder().encode(options.secret ?? t.config.auth.jwtSecret!));
}

const nowInSeconds = () => Math.floor(Date.now() / 1000);

/** Sends a typed document with a raw Authorization header, for headers GraphQLClient would not build. */
function withAuthorization<TResult, TVariables>(
  authorization: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<GraphQLResponse<TResult>> {
  return t.anonymous().post({ query: print(document), variables }, { authorization });
}

type TopLevelError = GraphQLErrorShape & { locations: unknown };

/** The single top-level error a refused field produces: only a code in extensions, no stack trace. */
function topLevelError(
  field: string,
  code: 'UNAUTHENTICATED' | 'FORBIDDEN',
  message: string,
): TopLevelError[] {
  return [{ message, locations: expect.any(Array), path: [field], extensions: { code } }];
}

const refusedBecause = (reason?: string): string =>
  reason === undefined ? expect.stringMatching(/^Not authenticated: \S/) : `Not authenticated: ${reason}`;
const BEARER_FORMAT = 'authorization must be "Bearer <token>"';

interface RefusedCredential {
  name: string;
  authorization: () => Promise<string>;
  /** What the server says was wrong with it; any reason will do where none is pinned down. */
  reason?: string;
}

/** Credentials that are presented but must not authenticate anyone. */
const REFUSED: RefusedCredential[] = [
  {
    name: 'a scheme other than Bearer',
    authorization: async () => `Token ${await signToken({ role: 'AGENT', sub: 'agent-1' })}`,
    reason: BEARER_FORMAT,
  },
  { name: 'Basic credentials', authorization: async () => 'Basic YWdlbnQ6c2VjcmV0', reason: BEARER_FORMAT },
  {
    name: 'a bare token without a scheme',
    authorization: () => signToken({ role: 'AGENT', sub: 'agent-1' }),
    reason: BEARER_FORMAT,
  },
  { name: 'Bearer with two tokens', authorization: async () => 'Bearer abc def', reason: BEARER_FORMAT },
  // Which words explain a token that is not a JWT at all is left open.
  { name: 'a garbage token', authorization: async () => 'Bearer not-a-jwt' },
  { name: 'a garbage token with three segments', authorization: async () => 'Bearer abc.def.ghi' },
  {
    name: 'a token signed with another secret',
    authorization: async () =>
      `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { secret: 'another-secret-of-sufficient-length-1234' })}`,
    reason: 'token signature is invalid',
  },
  {
    name: 'an expired token',
    authorization: async () =>
      `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { exp: nowInSeconds() - 60 })}`,
    reason: 'token expired',
  },
  {
    name: 'a token without exp',
    authorization: async () => `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { exp: null })}`,
    reason: 'token claim "exp" is invalid',
  },
  {
    name: 'a token not valid yet (nbf in the future)',
    authorization: async () =>
      `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { nbf: nowInSeconds() + 3600 })}`,
    reason: 'token claim "nbf" is invalid',
  },
  {
    name: 'a token without a role claim',
    authorization: async () => `Bearer ${await signToken({ sub: 'agent-1' })}`,
    reason: 'token has no valid role claim',
  },
  {
    name: 'a token with an unknown role',
    authorization: async () => `Bearer ${await signToken({ role: 'ADMIN', sub: 'agent-1' })}`,
    reason: 'token has no valid role claim',
  },
  {
    name: 'a token with a role in the wrong case',
    authorization: async () => `Bearer ${await signToken({ role: 'agent', sub: 'agent-1' })}`,
    reason: 'token has no valid role claim',
  },
  {
    name: 'a token without sub',
    authorization: async () => `Bearer ${await signToken({ role: 'AGENT' })}`,
    reason: 'token claim "sub" is invalid',
  },
  {
    name: 'a token with an empty sub',
    authorization: async () => `Bearer ${await signToken({ role: 'AGENT', sub: '' })}`,
    reason: 'token has no valid sub claim',
  },
  {
    name: 'an unsecured token (alg none)',
    authorization: async () =>
      `Bearer ${new UnsecuredJWT({ role: 'AGENT' }).setSubject('agent-1').setIssuedAt().setExpirationTime('1h').encode()}`,
    reason: 'token algorithm none is not accepted',
  },
  {
    name: 'an RS256 token while no JWKS is configured',
    authorization: async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { privateKey })}`;
    },
    reason: 'token algorithm RS256 is not accepted',
  },
];

// ---------------------------------------------------------------------------------------------
// Rows written, to prove a refused request wrote nothing
// ---------------------------------------------------------------------------------------------

async function rowCounts(target: TestServer = t): Promise<Record<string, number>> {
  const em = target.orm.em.fork();
  return {
    customers: await em.count(Customer),
    sellers: await em.count(Seller),
    products: await em.count(Product),
    orders: await em.count(Order),
    claims: await em.count(Claim),
  };
}

// ---------------------------------------------------------------------------------------------

describe('viewer', () => {
  it.each(ROLES)('returns the role and subject of a valid HS256 token for %s', async (role) => {
    const client = await t.as(role, `${role.toLowerCase()}-42`);
    expect(await client.data(ViewerDocument)).toEqual({
      viewer: { role, subject: `${role.toLowerCase()}-42` },
    });
  });

  it('accepts the Bearer scheme in any case', async () => {
    const token = await signToken({ role: 'SELLER', sub: 'sell-auth' });
    const response = await withAuthorization(`bearer ${token}`, ViewerDocument);
    expect({ data: response.data, errors: response.errors }).toEqual({
      data: { viewer: { role: 'SELLER', subject: 'sell-auth' } },
      errors: undefined,
    });
  });

  it('is null without a token, with no error', async () => {
    const response = await t.anonymous().execute(ViewerDocument);
    expect({ status: response.status, data: response.data, errors: response.errors }).toEqual({
      status: 200,
      data: { viewer: null },
      errors: undefined,
    });
  });

  it.each(REFUSED)('is UNAUTHENTICATED, not null, for $name', async ({ authorization, reason }) => {
    const response = await withAuthorization(await authorization(), ViewerDocument);
    expect(response.data).toEqual({ viewer: null });
    expect(response.errors).toEqual(topLevelError('viewer', 'UNAUTHENTICATED', refusedBecause(reason)));
  });
});

describe('a protected field', () => {
  it('is UNAUTHENTICATED without a token', async () => {
    const response = await t.anonymous().execute(ClaimsDocument, { first: 1 });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual(
      topLevelError('claims', 'UNAUTHENTICATED', 'Not authenticated: a bearer token is required'),
    );
  });

  it.each(REFUSED)('is UNAUTHENTICATED for $name', async ({ authorization, reason }) => {
    const response = await withAuthorization(await authorization(), ClaimsDocument, { first: 1 });
    expect(response.data).toBeNull();
    expect(response.errors).toEqual(topLevelError('claims', 'UNAUTHENTICATED', refusedBecause(reason)));
  });

  it('answers a valid token', async () => {
    const client = await t.as(Role.CUSTOMER, 'cust-auth');
    expect(await client.data(ClaimsDocument, { first: 1 })).toEqual({
      claims: {
        totalCount: 0,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        edges: [],
      },
    });
  });
});

// ---------------------------------------------------------------------------------------------

interface GuardedMutation {
  name: 'upsertCustomer' | 'upsertSeller' | 'upsertProduct' | 'recordOrder' | 'fileClaim';
  /** A valid request that would write a row if the caller were allowed to make it. */
  send(client: GraphQLClient): Promise<GraphQLResponse<unknown>>;
}

const AGENT_ONLY: GuardedMutation[] = [
  {
    name: 'upsertCustomer',
    send: (client) =>
      client.execute(UpsertCustomerDocument, {
        input: { externalRef: 'cust-new', name: 'New Customer', email: 'new@example.com' },
      }),
  },
  {
    name: 'upsertSeller',
    send: (client) =>
      client.execute(UpsertSellerDocument, {
        input: { externalRef: 'sell-new', name: 'New Seller', contactEmail: 'new@example.com' },
      }),
  },
  {
    name: 'upsertProduct',
    send: (client) =>
      client.execute(UpsertProductDocument, {
        input: {
          externalRef: 'prod-new',
          name: 'Toaster',
          category: 'kitchen',
          price: { amount: '25.00', currencyCode: 'USD' },
        },
      }),
  },
  {
    name: 'recordOrder',
    send: (client) => client.execute(RecordOrderDocument, { input: orderInput('ord-new') }),
  },
];

const FILE_CLAIM: GuardedMutation = {
  name: 'fileClaim',
  send: (client) =>
    client.execute(FileClaimDocument, { input: claimInput(orderId, { incidentDate: '2026-05-10' }) }),
};

const NON_AGENT_ROLES = ROLES.filter((role) => role !== Role.AGENT);

/** Every (role, mutation) pair that must be FORBIDDEN. */
const FORBIDDEN_CALLS = [
  ...NON_AGENT_ROLES.flatMap((role) => AGENT_ONLY.map((mutation) => ({ role, mutation }))),
  ...[Role.SELLER, Role.INSURER, Role.FRAUD_EXPERT].map((role) => ({ role, mutation: FILE_CLAIM })),
];

// The subject each role's token carries: the parties of the order the requests point at.
const SUBJECT_OF: Record<Role, string> = {
  [Role.CUSTOMER]: 'cust-auth',
  [Role.SELLER]: 'sell-auth',
  [Role.INSURER]: 'ins-auth',
  [Role.AGENT]: 'agent-auth',
  [Role.FRAUD_EXPERT]: 'expert-auth',
};

describe('role checks', () => {
  it.each(FORBIDDEN_CALLS.map(({ role, mutation }) => [role, mutation.name, mutation] as const))(
    'refuses %s calling %s with FORBIDDEN and writes nothing',
    async (role, name, mutation) => {
      const before = await rowCounts();
      const response = await mutation.send(await t.as(role, SUBJECT_OF[role]));
      expect(response.data).toBeNull();
      expect(response.errors).toEqual(topLevelError(name, 'FORBIDDEN', 'Not allowed for this role'));
      expect(await rowCounts()).toEqual(before);
    },
  );

  it.each([...AGENT_ONLY, FILE_CLAIM].map((mutation) => [mutation.name, mutation] as const))(
    'refuses an anonymous %s with UNAUTHENTICATED and writes nothing',
    async (name, mutation) => {
      const before = await rowCounts();
      const response = await mutation.send(t.anonymous());
      expect(response.data).toBeNull();
      expect(response.errors).toEqual(
        topLevelError(name, 'UNAUTHENTICATED', 'Not authenticated: a bearer token is required'),
      );
      expect(await rowCounts()).toEqual(before);
    },
  );

  // The refusals above only mean something if the same requests succeed for the right role.
  it('lets the allowed roles make the same requests', async () => {
    const agent = await t.agent();
    for (const mutation of AGENT_ONLY) {
      const response = await mutation.send(agent);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ [mutation.name]: expect.objectContaining({ userErrors: [] }) });
    }
    const response = await FILE_CLAIM.send(await t.as(Role.CUSTOMER, 'cust-auth'));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ fileClaim: expect.objectContaining({ userErrors: [] }) });
  });
});

// ---------------------------------------------------------------------------------------------

/** Serves a JWKS document on 127.0.0.1, as an identity provider would. */
async function serveJwks(jwks: { keys: object[] }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

describe('RS256 tokens verified with a JWKS URL', () => {
  const KID = 'idp-key-1';
  let idp: Awaited<ReturnType<typeof serveJwks>>;
  let withJwks: TestServer;
  let idpKey: SigningKey;
  let strangerKey: SigningKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    idpKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    idp = await serveJwks({
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }],
    });
    withJwks = await startTestServer({ AUTH_JWKS_URL: idp.url });
  });

  afterAll(async () => {
    await withJwks?.stop();
    await idp?.close();
  });

  async function viewerWith(token: string) {
    const response = await new GraphQLClient(withJwks.url, token).execute(ViewerDocument);
    return { data: response.data, errors: response.errors };
  }

  it('accepts a token signed by a key the JWKS publishes', async () => {
    const token = await signToken({ role: 'INSURER', sub: 'ins-7' }, { privateKey: idpKey, kid: KID });
    expect(await viewerWith(token)).toEqual({
      data: { viewer: { role: 'INSURER', subject: 'ins-7' } },
      errors: undefined,
    });
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const token = await signToken({ role: 'INSURER', sub: 'ins-7' }, { privateKey: strangerKey, kid: KID });
    expect(await viewerWith(token)).toEqual({
      data: { viewer: null },
      errors: topLevelError('viewer', 'UNAUTHENTICATED', refusedBecause('token signature is invalid')),
    });
  });

  it('refuses a token naming a key the JWKS does not publish', async () => {
    const token = await signToken(
      { role: 'INSURER', sub: 'ins-7' },
      { privateKey: strangerKey, kid: 'unknown-key' },
    );
    expect(await viewerWith(token)).toEqual({
      data: { viewer: null },
      errors: topLevelError('viewer', 'UNAUTHENTICATED', refusedBecause('token key is unknown')),
    });
  });

  it('refuses an expired token signed by the published key', async () => {
    const token = await signToken(
      { role: 'INSURER', sub: 'ins-7' },
      { privateKey: idpKey, kid: KID, exp: nowInSeconds() - 60 },
    );
    expect(await viewerWith(token)).toEqual({
      data: { viewer: null },
      errors: topLevelError('viewer', 'UNAUTHENTICATED', refusedBecause('token expired')),
    });
  });

  it('still refuses an unsecured token (alg none)', async () => {
    const token = new UnsecuredJWT({ role: 'AGENT' }).setSubject('agent-1').setExpirationTime('1h').encode();
    expect(await viewerWith(token)).toEqual({
      data: { viewer: null },
      errors: topLevelError(
        'viewer',
        'UNAUTHENTICATED',
        refusedBecause('token algorithm none is not accepted'),
      ),
    });
  });
});

// ---------------------------------------------------------------------------------------------

// A V8 stack frame ("    at fn (file.js:1:2)") in plain text or HTML-escaped form.
const STACK_FRAME = /\bat\s(?:&nbsp;|\s)*\S.*:\d+:\d+/;

describe('error responses', () => {
  it('never carry a stack trace for GraphQL-level failures', async () => {
    const anonymous = t.anonymous();
    const seller = await t.as(Role.SELLER, 'sell-auth');
    const responses: GraphQLResponse<unknown>[] = [
      await anonymous.execute(ClaimsDocument, { first: 1 }),
      await withAuthorization('Bearer not-a-jwt', ViewerDocument),
      await withAuthorization(
        `Bearer ${await signToken({ role: 'AGENT', sub: 'a' }, { exp: nowInSeconds() - 60 })}`,
        ViewerDocument,
      ),
      await AGENT_ONLY[0].send(seller),
      await seller.post({ query: '{ viewer { role' }),
      await seller.post({ query: '{ viewer { nope } }' }),
      await seller.post({ query: print(ClaimsDocument), variables: { first: 'many' } }),
      await seller.post({ query: print(ClaimsDocument), variables: { first: 1 }, operationName: 'Unknown' }),
      await seller.post({ variables: {} }),
    ];
    for (const response of responses) {
      expect(response.errors?.length).toBeGreaterThan(0);
      for (const error of response.errors ?? []) {
        expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
        expect(error.extensions?.code).toEqual(expect.any(String));
        expect(error.message).not.toMatch(STACK_FRAME);
      }
    }
  });

  // Body-parser failures happen before GraphQL runs; they must not fall through to Express's
  // default error page, which prints the stack trace whenever NODE_ENV is not "production".
  it.each([
    { name: 'a body that is not JSON', body: '{"query": ', status: 400 },
    {
      name: 'a body over the size limit',
      body: JSON.stringify({ query: `{ viewer { role } }${' '.repeat(200_000)}` }),
      status: 413,
    },
  ])('never carry a stack trace for $name', async ({ body, status }) => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(text).not.toMatch(STACK_FRAME);
    expect(text).not.toContain('node_modules');
  });
});

// ---------------------------------------------------------------------------------------------

type SocketOutcome = { result: ExecutionResult } | { closed: { code: number; reason: string } };

/**
 * Runs one operation over graphql-ws on the API's own port and path. Resolves with the result, or
 * with the close code and reason when the server closes the socket instead.
 */
async function overWebSocket(
  connectionParams: Record<string, unknown> | undefined,
  query: string,
): Promise<SocketOutcome> {
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
  try {
    return await new Promise<SocketOutcome>((resolve, reject) => {
      let result: ExecutionResult | undefined;
      client.subscribe(
        { query },
        {
          next: (value) => {
            result = value as ExecutionResult;
          },
          error: (error) => {
            // graphql-ws hands a close event to the sink when the server closes the socket.
            const event = error as { code?: unknown; reason?: unknown };
            if (typeof event.code === 'number')
              resolve({ closed: { code: event.code, reason: String(event.reason) } });
            else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          },
          complete: () => (result ? resolve({ result }) : reject(new Error('completed without a result'))),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('WebSocket', () => {
  it('runs an operation for a valid token in connectionParams', async () => {
    const token = await signToken({ role: 'INSURER', sub: 'ins-ws' });
    expect(await overWebSocket({ authorization: `Bearer ${token}` }, print(ViewerDocument))).toEqual({
      result: { data: { viewer: { role: 'INSURER', subject: 'ins-ws' } } },
    });
  });

  it('applies roles to operations over the socket', async () => {
    const before = await rowCounts();
    const token = await signToken({ role: 'SELLER', sub: 'sell-auth' });
    const outcome = await overWebSocket(
      { authorization: `Bearer ${token}` },
      'mutation { upsertCustomer(input: { externalRef: "cust-ws", name: "Socket", email: "ws@example.com" }) { customer { id } } }',
    );
    expect(outcome).toEqual({
      result: {
        data: null,
        errors: topLevelError('upsertCustomer', 'FORBIDDEN', 'Not allowed for this role'),
      },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it('closes the socket with 4401 without a token', async () => {
    expect(await overWebSocket(undefined, print(ViewerDocument))).toEqual({
      closed: { code: 4401, reason: 'Unauthorized' },
    });
  });

  it.each([
    {
      name: 'Basic credentials',
      authorization: async (): Promise<unknown> => 'Basic YWdlbnQ6c2VjcmV0',
      reason: BEARER_FORMAT,
    },
    { name: 'a garbage token', authorization: async (): Promise<unknown> => 'Bearer not-a-jwt' },
    {
      name: 'a token signed with another secret',
      authorization: async (): Promise<unknown> =>
        `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { secret: 'another-secret-of-sufficient-length-1234' })}`,
      reason: 'token signature is invalid',
    },
    {
      name: 'an expired token',
      authorization: async (): Promise<unknown> =>
        `Bearer ${await signToken({ role: 'AGENT', sub: 'agent-1' }, { exp: nowInSeconds() - 60 })}`,
      reason: 'token expired',
    },
    {
      name: 'an authorization that is not a string',
      authorization: async (): Promise<unknown> => 42,
      reason: 'malformed authorization',
    },
  ])(
    'closes the socket with 4401 for $name',
    async ({ authorization, reason }: { authorization: () => Promise<unknown>; reason?: string }) => {
      expect(await overWebSocket({ authorization: await authorization() }, print(ViewerDocument))).toEqual({
        closed: {
          code: 4401,
          reason:
            reason === undefined ? expect.stringMatching(/^Unauthorized: \S/) : `Unauthorized: ${reason}`,
        },
      });
    },
  );
});
