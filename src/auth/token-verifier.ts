import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config';
import { ROLES, type Role } from './role';
import type { Authentication } from './viewer';

type KeySource = Parameters<typeof jwtVerify>[1];

/**
 * Verifies bearer tokens: HS256 with the shared secret and, when a JWKS URL is configured, RS256
 * (and other asymmetric algorithms) with keys fetched and cached from it.
 */
export class TokenVerifier {
  /** Imported once: given raw bytes (or a KeyObject), jose imports the key again for every token. */
  private readonly secret?: Promise<webcrypto.CryptoKey>;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly auth: Config['auth']) {
    this.secret = auth.jwtSecret
      ? webcrypto.subtle.importKey('raw', new TextEncoder().encode(auth.jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : undefined;
    this.jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  }

  /** Reads an `Authorization` header value (or the same from WebSocket connection params). */
  async authenticate(authorization: unknown): Promise<Authentication> {
    if (authorization === undefined || authorization === null || authorization === '') return { viewer: null };
    if (typeof authorization !== 'string') return { viewer: null, failure: 'malformed authorization' };
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
    if (!match) return { viewer: null, failure: 'authorization must be "Bearer <token>"' };
    return this.verify(match[1]);
  }

  private async verify(token: string): Promise<Authentication> {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      const options = { issuer: this.auth.issuer, audience: this.auth.audience, requiredClaims: ['exp', 'sub'] };
      if (alg === 'HS256' && this.secret) {
        ({ payload } = await jwtVerify(token, await this.secret, { ...options, algorithms: ['HS256'] }));
      } else if (alg !== 'HS256' && alg !== 'none' && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks as KeySource, {
          ...options,
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        }));
      } else {
        return { viewer: null, failure: `token algorithm ${String(alg)} is not accepted` };
      }
    } catch (error) {
      return { viewer: null, failure: describe(error) };
    }
    const role = payload.role;
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) {
      return { viewer: null, failure: 'token has no valid role claim' };
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 100) {
      return { viewer: null, failure: 'token has no valid sub claim' };
    }
    return { viewer: { role: role as Role, subject } };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'token key is unknown';
  // A string that is not a JWT at all fails header decoding with a TypeError.
  if (error instanceof errors.JOSEError || error instanceof TypeError) return 'token is malformed';
  return 'token could not be verified';
}
