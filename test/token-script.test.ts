import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../scripts/token';
import { ViewerDocument } from './__generated__/graphql';
import { GraphQLClient } from './support/graphql-client';
import { startTestServer, type TestServer } from './support/test-server';

/** `npm run token`: a development token for any principal, in one command. */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t?.stop();
});

const DEVELOPMENT = { NODE_ENV: 'development' };

describe('npm run token', () => {
  it('mints a token the server takes for exactly that principal', async () => {
    const outcome = await mintToken(['--role', 'SELLER', '--sub', 'sell-2003'], DEVELOPMENT);
    if (!('token' in outcome)) throw new Error(outcome.refused);
    const client = new GraphQLClient(t.url, outcome.token);
    expect((await client.data(ViewerDocument)).viewer).toEqual({ role: 'SELLER', subject: 'sell-2003' });
    const claims = decodeJwt(outcome.token);
    expect(claims.exp! - claims.iat!).toBe(30 * 24 * 3600);
  });

  it('takes a lifetime', async () => {
    const outcome = await mintToken(['--role', 'INSURER', '--sub', 'ins-9', '--ttl', '1h'], DEVELOPMENT);
    if (!('token' in outcome)) throw new Error(outcome.refused);
    const claims = decodeJwt(outcome.token);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it.each([
    [
      ['--role', 'SELLER', '--sub', 'sell-1'],
      { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://idp.example/jwks' },
      /production/,
    ],
    [['--role', 'OWNER', '--sub', 'x'], DEVELOPMENT, /--role must be one of CUSTOMER/],
    [['--role', 'SELLER'], DEVELOPMENT, /--sub must be/],
    [['--role', 'SELLER', '--sub', 'a\u0000b'], DEVELOPMENT, /--sub must be/],
    [['--role', 'SELLER', '--sub', 's', '--ttl', 'forever'], DEVELOPMENT, /--ttl must be/],
    [['--role', 'SELLER', '--sub', 's', '--admin'], DEVELOPMENT, /Unknown option '--admin'/],
  ])('refuses %j', async (args, env, why) => {
    const outcome = await mintToken(args, env);
    expect(outcome).toEqual({ refused: expect.stringMatching(why) });
  });
});
