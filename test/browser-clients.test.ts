import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { startTestServer, type TestServer } from './support/test-server';

/** A browser front-end on another origin, and answers compressed for clients that accept it. */
const APP = 'https://app.example.com';
let t: TestServer;
let token: string;

beforeAll(async () => {
  t = await startTestServer({ CORS_ORIGINS: `${APP},http://localhost:5173` });
  token = (await t.as(Role.AGENT, 'agent-browser')).token!;
});

afterAll(async () => {
  await t?.stop();
});

function preflight(origin: string) {
  return fetch(t.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

/** A raw POST, so that the answer's bytes are seen as sent. */
function post(query: string, headers: Record<string, string>) {
  const url = new URL(t.url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
          );
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query }));
    },
  );
}

/** An answer of several kilobytes: the schema's type names and fields (outside production). */
const LARGE = '{ __schema { types { name fields { name } } } }';

describe('CORS', () => {
  it('a listed origin may call with its token, and reads the request id', async () => {
    const answer = await preflight(APP);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
    const call = await post('{ viewer { role } }', { origin: APP });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(APP);
    expect(call.headers['access-control-expose-headers']).toContain('x-request-id');
  });

  it('another origin gets no CORS headers: the browser keeps its page from the answer', async () => {
    const answer = await preflight('https://evil.example');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const call = await post('{ viewer { role } }', { origin: 'https://evil.example' });
    expect(call.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is off without CORS_ORIGINS', async () => {
    const plain = await startTestServer();
    try {
      const answer = await fetch(plain.url, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST' },
      });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});

describe('compression', () => {
  it('large answers come gzip- or brotli-compressed to clients that accept it, and read the same', async () => {
    const identity = await post(LARGE, { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    const expected = JSON.parse(identity.body.toString()).data;
    expect(identity.body.length).toBeGreaterThan(1024);

    const gzip = await post(LARGE, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.length).toBeLessThan(identity.body.length);
    expect(JSON.parse(zlib.gunzipSync(gzip.body).toString()).data).toEqual(expected);

    const brotli = await post(LARGE, { 'accept-encoding': 'br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(brotli.body).toString()).data).toEqual(expected);
  });

  it('small answers are sent as they are', async () => {
    const small = await post('{ viewer { role } }', { 'accept-encoding': 'gzip, br' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});
