import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import { ROLES, type Role } from './role';
import type { Authentication, Viewer } from './viewer';

type KeySource = Parameters<typeof jwtVerify>[1];

/** A token that passed every check, and until when that answer may be reused. */
interface VerifiedToken {
  authentication: Authentication;
  /** Epoch milliseconds: the token's expiry, or sooner (see VERIFIED_REUSE_MS). */
  reusableUntil: number;
}

/**
 * How long a verified token is trusted without checking it again, at most. A client sends the
 * same token with every request; checking its signature each time was the largest single cost of
 * serving a mutation. Bounded so that a key withdrawn from the JWKS stops working within minutes
 * even for tokens that expire much later.
 */
const VERIFIED_REUSE_MS = 5 * 60_000;
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Verifies bearer tokens: HS256 with the shared secret and, when a JWKS URL is configured, RS256
 * (and other asymmetric algorithms) with keys fetched and cached from it.
 */
export class TokenVerifier {
  /** Imported once: given raw bytes (or a KeyObject), jose imports the key again for every token. */
  private readonly secret?: Promise<webcrypto.CryptoKey>;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /** Only tokens that passed: a refused token is checked again every time it is presented. */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });

  constructor(
    private readonly auth: Config['auth'],
    /** Epoch milliseconds; the same clock decides expiry here and in jose. */
    private readonly now: () => number = Date.now,
  ) {
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
    const token = match[1];
    const now = this.now();
    const reused = this.verified.get(token);
    if (reused && now < reused.reusableUntil) return reused.authentication;
    const outcome = await this.verify(token, now);
    if ('refused' in outcome) return outcome.refused;
    // Shared by every request that presents this token: frozen so that none can alter it for the rest.
    const authentication: Authentication = Object.freeze({ viewer: Object.freeze(outcome.viewer) });
    // Never reused past the token's expiry, where jose refuses it.
    this.verified.set(token, { authentication, reusableUntil: Math.min(outcome.expiresAt * 1000, now + VERIFIED_REUSE_MS) });
    return authentication;
  }

  private async verify(token: string, now: number): Promise<{ viewer: Viewer; expiresAt: number } | { refused: Authentication }> {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      const options = {
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
      };
      if (alg === 'HS256' && this.secret) {
        ({ payload } = await jwtVerify(token, await this.secret, { ...options, algorithms: ['HS256'] }));
      } else if (alg !== 'HS256' && alg !== 'none' && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks as KeySource, {
          ...options,
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        }));
      } else {
        return refused(`token algorithm ${String(alg)} is not accepted`);
      }
    } catch (error) {
      return refused(describe(error));
    }
    const role = payload.role;
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) return refused('token has no valid role claim');
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 100) {
      return refused('token has no valid sub claim');
    }
    // requiredClaims made jose check that exp is there and a number.
    return { viewer: { role: role as Role, subject }, expiresAt: payload.exp as number };
  }
}

function refused(failure: string): { refused: Authentication } {
  return { refused: { viewer: null, failure } };
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
