import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { PII_CANARY } from './support/pii-canary';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * A request id follows each request: echoed in `x-request-id`, on every log line made while it is
 * served, in an unexpected error's extensions, and on the one access log line per request.
 */
let t: TestServer;
let token: string;

beforeAll(async () => {
  t = await startTestServer();
  token = (await t.as(Role.CUSTOMER, 'cust-a')).token!;
});

afterAll(async () => {
  await t?.stop();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { requestId: response.headers.get('x-request-id'), json: await response.json() };
}

/** The log lines naming `requestId`, parsed. */
function linesOf(requestId: string): Record<string, unknown>[] {
  return t.logs.lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.requestId === requestId);
}

describe('request ids', () => {
  it('are made when the client sends none, echoed, and written on one access line without variables', async () => {
    const { requestId } = await post({
      operationName: 'Who',
      query: 'query Who($id: ID!) { claim(id: $id) { id } }',
      variables: { id: PII_CANARY },
    });
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const access = linesOf(requestId!).filter((line) => line.msg === 'request');
    expect(access).toEqual([
      expect.objectContaining({
        requestId,
        method: 'POST',
        status: 200,
        operation: 'Who',
        codes: [],
        ms: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(access)).not.toContain('CANARY');
  });

  it("keep the client's own id when it is a plain token, and replace one that is not", async () => {
    expect(
      (await post({ query: '{ viewer { role } }' }, { 'x-request-id': 'edge-42.a:b_c' })).requestId,
    ).toBe('edge-42.a:b_c');
    const odd = await post({ query: '{ viewer { role } }' }, { 'x-request-id': 'two words\tand a tab' });
    expect(odd.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("name a refusal's codes on the access line", async () => {
    const { requestId } = await post({ query: '{ viewer { role password } }' });
    expect(linesOf(requestId!).find((line) => line.msg === 'request')).toMatchObject({
      status: 400,
      codes: ['GRAPHQL_VALIDATION_FAILED'],
    });
  });
});

describe('an unexpected error', () => {
  it('carries the request id, which finds its cause in the log (the last test: it closes the database)', async () => {
    await t.orm.close(true);
    const { requestId, json } = await post(
      { query: '{ claims(first: 1) { totalCount } }' },
      { 'x-request-id': 'trace-1' },
    );
    expect(requestId).toBe('trace-1');
    expect((json as { errors: { extensions: unknown }[] }).errors.map((error) => error.extensions)).toEqual([
      { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-1' },
    ]);
    const lines = linesOf('trace-1');
    expect(lines.map((line) => line.msg)).toEqual(['unexpected error', 'request']);
    expect(lines[0]).toMatchObject({ err: expect.objectContaining({ type: expect.any(String) }) });
  });
});
