import { createVerifier, TokenError } from 'fast-jwt';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import { ROLES } from './role';
import { isSubject } from './subject';
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

/** The claims every accepted token must carry. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

/**
 * Verifies bearer tokens: HS256 with the shared secret and, when a JWKS URL is configured, RS256
 * (and other asymmetric algorithms) with keys fetched and cached from it.
 *
 * HS256 tokens are checked by fast-jwt, with node:crypto in the calling thread: jose 6 checks them
 * through WebCrypto, a round trip to the thread pool that cost about 65 µs of CPU a token against
 * fast-jwt's 6–11 µs, and a tenth of the serving process's CPU when every filing brought a token
 * not seen before. Keys from a JWKS stay with jose, which fetches, caches and rotates them.
 */
export class TokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /**
   * Made once: making a verifier prepares the key, over a quarter of a token's check. It leaves the
   * token's times to `timesFailure`, since fast-jwt would take the current time as an option fixed
   * when the verifier is made.
   */
  private readonly verifyWithSecret?: (token: string) => unknown;
  /** Only tokens that passed: a refused token is checked again every time it is presented. */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_MAX });

  constructor(
    private readonly auth: Config['auth'],
    /** Epoch milliseconds; the same clock decides expiry here and in the token libraries. */
    private readonly now: () => number = Date.now,
  ) {
    if (auth.jwtSecret) {
      this.verifyWithSecret = createVerifier({
        key: auth.jwtSecret,
        algorithms: ['HS256'],
        allowedIss: auth.issuer,
        allowedAud: auth.audience,
        // fast-jwt checks an issuer or audience only when the token has one: an expected one is required.
        requiredClaims: [
          ...REQUIRED_CLAIMS,
          ...(auth.issuer ? ['iss'] : []),
          ...(auth.audience ? ['aud'] : []),
        ],
        ignoreExpiration: true,
        ignoreNotBefore: true,
        cache: false,
      });
    }
    this.jwks = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  }

  /** Reads an `Authorization` header value (or the same from WebSocket connection params). */
  async authenticate(authorization: unknown): Promise<Authentication> {
    if (authorization === undefined || authorization === null || authorization === '')
      return { viewer: null };
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
    // Never reused past the token's expiry, where verification refuses it.
    this.verified.set(token, {
      authentication,
      reusableUntil: Math.min(outcome.expiresAt * 1000, now + VERIFIED_REUSE_MS),
    });
    return authentication;
  }

  private async verify(
    token: string,
    now: number,
  ): Promise<{ viewer: Viewer; expiresAt: number } | { refused: Authentication }> {
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256' && this.verifyWithSecret) {
        payload = this.verifyWithSecret(token) as JWTPayload;
        const failure = timesFailure(payload, now);
        if (failure) return refused(failure);
      } else if (alg !== 'HS256' && alg !== 'none' && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks as KeySource, {
          issuer: this.auth.issuer,
          audience: this.auth.audience,
          requiredClaims: REQUIRED_CLAIMS,
          currentDate: new Date(now),
          algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        }));
      } else {
        return refused(`token algorithm ${String(alg)} is not accepted`);
      }
    } catch (error) {
      return refused(describe(error));
    }
    const role = ROLES.find((known) => known === payload.role);
    if (!role) return refused('token has no valid role claim');
    const subject = payload.sub;
    if (typeof subject !== 'string' || !isSubject(subject)) {
      return refused('token has no valid sub claim');
    }
    // exp is there and a number: required of jose, and checked by timesFailure after fast-jwt.
    return { viewer: { role, subject }, expiresAt: payload.exp as number };
  }
}

/**
 * Why a token is not valid at `now` (epoch milliseconds) by its exp and nbf claims, in the words
 * jose uses; exp is known to be present. A token has expired from the instant of its exp on
 * (RFC 7519, 4.1.4).
 */
function timesFailure(payload: JWTPayload, now: number): string | null {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return 'token claim "exp" is invalid';
  if (payload.exp * 1000 <= now) return 'token expired';
  if (
    payload.nbf !== undefined &&
    (typeof payload.nbf !== 'number' || !Number.isFinite(payload.nbf) || payload.nbf * 1000 > now)
  ) {
    return 'token claim "nbf" is invalid';
  }
  return null;
}

function refused(failure: string): { refused: Authentication } {
  return { refused: { viewer: null, failure } };
}

function describe(error: unknown): string {
  if (error instanceof TokenError) return describeTokenError(error);
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'token key is unknown';
  // A string that is not a JWT at all fails header decoding with a TypeError.
  if (error instanceof errors.JOSEError || error instanceof TypeError) return 'token is malformed';
  return 'token could not be verified';
}

/** fast-jwt's refusals in the words jose's get above. */
function describeTokenError(error: TokenError): string {
  switch (error.code) {
    case TokenError.codes.expired:
      return 'token expired';
    case TokenError.codes.invalidSignature:
      return 'token signature is invalid';
    case TokenError.codes.inactive:
      return 'token claim "nbf" is invalid';
    case TokenError.codes.missingRequiredClaim:
    case TokenError.codes.invalidClaimType:
    case TokenError.codes.invalidClaimValue: {
      // fast-jwt names the claim only in its message ("The iss claim value is not allowed.").
      const claim = /\b(\w+) claim\b/.exec(error.message)?.[1];
      return claim ? `token claim "${claim}" is invalid` : 'token claims are invalid';
    }
    case TokenError.codes.malformed:
    case TokenError.codes.invalidType:
    case TokenError.codes.invalidPayload:
    case TokenError.codes.missingSignature:
      return 'token is malformed';
    default:
      return 'token could not be verified';
  }
}
