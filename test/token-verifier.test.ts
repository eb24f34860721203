import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenVerifier } from '../src/auth/token-verifier';

// The verifier keeps tokens that passed for reuse; these pin that reuse never outlives what a
// fresh check would accept.

const SECRET = 'a-secret-for-the-verifier-tests-0123456789';
const T0 = Date.UTC(2026, 5, 15, 12, 0, 0);

/** A verifier that reads the time from `clock`, so a test can move it between calls. */
function verifierAt(clock: { now: number }): TokenVerifier {
  return new TokenVerifier({ jwtSecret: SECRET }, () => clock.now);
}

async function token(claims: { exp: number; nbf?: number; role?: string }): Promise<string> {
  const jwt = new SignJWT({ role: claims.role ?? 'AGENT' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('agent-1')
    .setIssuedAt(T0 / 1000 - 60)
    .setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return `Bearer ${await jwt.sign(new TextEncoder().encode(SECRET))}`;
}

describe('a verified token, presented again', () => {
  it('is accepted while it is valid', async () => {
    const clock = { now: T0 };
    const verifier = verifierAt(clock);
    const bearer = await token({ exp: T0 / 1000 + 3600 });
    expect(await verifier.authenticate(bearer)).toEqual({ viewer: { role: 'AGENT', subject: 'agent-1' } });
    clock.now += 59 * 60_000;
    expect(await verifier.authenticate(bearer)).toEqual({ viewer: { role: 'AGENT', subject: 'agent-1' } });
  });

  it('is refused as expired from its exp on, as on first sight', async () => {
    const clock = { now: T0 };
    const verifier = verifierAt(clock);
    const bearer = await token({ exp: T0 / 1000 + 60 });
    expect((await verifier.authenticate(bearer)).viewer).not.toBeNull();
    clock.now = T0 + 59_999;
    expect((await verifier.authenticate(bearer)).viewer).not.toBeNull();
    clock.now = T0 + 60_000;
    expect(await verifier.authenticate(bearer)).toEqual({ viewer: null, failure: 'token expired' });
    expect(await verifierAt(clock).authenticate(bearer)).toEqual({ viewer: null, failure: 'token expired' });
  });

  it('is not kept when refused: a token not valid yet is accepted once its nbf has come', async () => {
    const clock = { now: T0 };
    const verifier = verifierAt(clock);
    const bearer = await token({ exp: T0 / 1000 + 3600, nbf: T0 / 1000 + 60 });
    expect(await verifier.authenticate(bearer)).toEqual({
      viewer: null,
      failure: 'token claim "nbf" is invalid',
    });
    clock.now = T0 + 60_000;
    expect(await verifier.authenticate(bearer)).toEqual({ viewer: { role: 'AGENT', subject: 'agent-1' } });
  });

  it('is refused when its exp or nbf is not a time', async () => {
    const signed = async (claims: Record<string, unknown>) =>
      `Bearer ${await new SignJWT({ role: 'AGENT', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('agent-1').sign(new TextEncoder().encode(SECRET))}`;
    const verifier = verifierAt({ now: T0 });
    expect(await verifier.authenticate(await signed({ exp: String(T0 / 1000 + 3600) }))).toEqual({
      viewer: null,
      failure: 'token claim "exp" is invalid',
    });
    expect(await verifier.authenticate(await signed({}))).toEqual({
      viewer: null,
      failure: 'token claim "exp" is invalid',
    });
    expect(await verifier.authenticate(await signed({ exp: T0 / 1000 + 3600, nbf: 'now' }))).toEqual({
      viewer: null,
      failure: 'token claim "nbf" is invalid',
    });
    expect(
      (await verifier.authenticate(await signed({ exp: T0 / 1000 + 3600, nbf: T0 / 1000 }))).viewer,
    ).toEqual({ role: 'AGENT', subject: 'agent-1' });
  });

  it('stays refused when its role is not one of ours', async () => {
    const clock = { now: T0 };
    const verifier = verifierAt(clock);
    const bearer = await token({ exp: T0 / 1000 + 3600, role: 'ADMIN' });
    for (let i = 0; i < 2; i++) {
      expect(await verifier.authenticate(bearer)).toEqual({
        viewer: null,
        failure: 'token has no valid role claim',
      });
    }
  });

  it('is shared frozen, so that no request can change who the next one is', async () => {
    const verifier = verifierAt({ now: T0 });
    const bearer = await token({ exp: T0 / 1000 + 3600 });
    const first = await verifier.authenticate(bearer);
    expect(() => {
      (first.viewer as { role: string }).role = 'ADMIN';
    }).toThrow(TypeError);
    expect((await verifier.authenticate(bearer)).viewer?.role).toBe('AGENT');
  });
});

describe('a token checked against the expected issuer and audience', () => {
  const expecting = (): TokenVerifier =>
    new TokenVerifier(
      { jwtSecret: SECRET, issuer: 'https://id.example.com', audience: 'claimgraph' },
      () => T0,
    );

  async function tokenFor(claims: { iss?: string; aud?: string | string[] }): Promise<string> {
    let jwt = new SignJWT({ role: 'AGENT' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('agent-1')
      .setExpirationTime(T0 / 1000 + 3600);
    if (claims.iss !== undefined) jwt = jwt.setIssuer(claims.iss);
    if (claims.aud !== undefined) jwt = jwt.setAudience(claims.aud);
    return `Bearer ${await jwt.sign(new TextEncoder().encode(SECRET))}`;
  }

  it('is accepted from that issuer for that audience, also among others', async () => {
    const agent = { viewer: { role: 'AGENT', subject: 'agent-1' } };
    expect(
      await expecting().authenticate(await tokenFor({ iss: 'https://id.example.com', aud: 'claimgraph' })),
    ).toEqual(agent);
    expect(
      await expecting().authenticate(
        await tokenFor({ iss: 'https://id.example.com', aud: ['billing', 'claimgraph'] }),
      ),
    ).toEqual(agent);
  });

  it('is refused from another issuer or none', async () => {
    for (const iss of ['https://evil.example.com', undefined]) {
      expect(await expecting().authenticate(await tokenFor({ iss, aud: 'claimgraph' }))).toEqual({
        viewer: null,
        failure: 'token claim "iss" is invalid',
      });
    }
  });

  it('is refused for another audience or none', async () => {
    for (const aud of ['billing', ['billing', 'payroll'], undefined]) {
      expect(await expecting().authenticate(await tokenFor({ iss: 'https://id.example.com', aud }))).toEqual({
        viewer: null,
        failure: 'token claim "aud" is invalid',
      });
    }
  });

  it('is not asked for an issuer or audience when none is expected', async () => {
    expect(
      (
        await verifierAt({ now: T0 }).authenticate(
          await tokenFor({ iss: 'https://anyone.example.com', aud: 'anything' }),
        )
      ).viewer,
    ).toEqual({ role: 'AGENT', subject: 'agent-1' });
  });
});
