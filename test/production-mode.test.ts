import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { createScratchDatabase, type ScratchDatabase } from './support/database';
import { startServerOn, type TestServer } from './support/test-server';

/**
 * NODE_ENV=production: the API tells an attacker nothing about itself beyond what a client needs
 * (no schema introspection, no field suggestions, no stack traces, no explorer page) and keeps the
 * browser-facing protections on (CSRF prevention, no batching).
 */
let database: ScratchDatabase;
let t: TestServer;

beforeAll(async () => {
  database = await createScratchDatabase();
  t = await startServerOn(database.target, { env: { NODE_ENV: 'production', HOST: '127.0.0.1' } });
});

afterAll(async () => {
  await t?.stop();
  await database?.drop();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** One operation over graphql-ws: its errors (or `[]` when it ran without any). */
async function errorsOverWebSocket(query: string): Promise<{ message: string; code?: unknown }[]> {
  const token = (await t.as(Role.CUSTOMER, 'cust-a')).token!;
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve, reject) => {
      const shape = (errors: readonly { message: string; extensions?: { code?: unknown } }[]) =>
        errors.map((error) => ({ message: error.message, code: error.extensions?.code }));
      client.subscribe(
        { query },
        {
          next: (result) => {
            if (result.errors) resolve(shape(result.errors));
          },
          error: (error) => (Array.isArray(error) ? resolve(shape(error)) : reject(new Error(String(error)))),
          complete: () => resolve([]),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('production mode', () => {
  it('refuses introspection', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const response = await customer.post({ query: '{ __schema { queryType { name } } }' });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
  });

  it('suggests no field names for a misspelt field', async () => {
    const response = await post({ query: '{ viewr { role } }' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Cannot query field');
    expect(response.text).not.toMatch(/Did you mean/);
    expect(response.text).not.toContain('"viewer"');
  });

  it('refuses introspection and suggests no field names over WebSocket either', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Claim") { name } }']) {
      const errors = await errorsOverWebSocket(query);
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error).toEqual({
          message: expect.stringContaining('introspection has been disabled'),
          code: 'GRAPHQL_VALIDATION_FAILED',
        });
      }
    }
    const misspelt = await errorsOverWebSocket('{ viewr { role } }');
    expect(misspelt).toEqual([
      { message: expect.stringContaining('Cannot query field'), code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    expect(JSON.stringify(misspelt)).not.toMatch(/Did you mean|"viewer"/);
  });

  it('serves no explorer page to a browser', async () => {
    const response = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toMatch(/<html|sandbox|apollographql/i);
  });

  it('blocks cross-site form posts and batched requests', async () => {
    const form = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('Cross-Site Request Forgery');
    const batch = await post([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]);
    expect(batch.status).toBe(400);
  });

  it('answers an unexpected failure with a generic error and no stack trace (the last test: it closes the database)', async () => {
    const agent = await t.agent();
    await t.orm.close(true);
    const response = await agent.post({ query: '{ claims(first: 1) { totalCount } }' });
    expect(response.errors?.map((error) => [error.message, error.extensions])).toEqual([
      ['Internal server error', { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) }],
    ]);
    expect(JSON.stringify(response)).not.toMatch(/stack|\bat \w|node_modules|sql|knex|sqlite|postgres/i);
  });
});
