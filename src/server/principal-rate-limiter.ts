import { TokenBucket } from 'limiter';
import { LRUCache } from 'lru-cache';
import type { Authentication } from '../auth/viewer';

export interface RateLimits {
  /** Requests a principal may make at once. */
  burst: number;
  /** Requests per second a principal's bucket refills with; 0 turns limiting off. */
  perSecond: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Principals whose buckets are kept; the least recently seen go first (they are full again by then). */
const MAX_PRINCIPALS = 100_000;

/**
 * A token bucket per principal (a token's role and subject, or the client address when anonymous):
 * `burst` requests at once, refilled at `perSecond`. Buckets live in this instance's memory, so
 * each instance limits on its own.
 */
export class PrincipalRateLimiter {
  private readonly buckets: LRUCache<string, TokenBucket>;
  /** Requests refused since start, for the metrics. */
  refusals = 0;

  constructor(private readonly limits: RateLimits) {
    this.buckets = new LRUCache({ max: MAX_PRINCIPALS });
  }

  take(principal: string): RateDecision {
    if (this.limits.perSecond <= 0) return { allowed: true };
    let bucket = this.buckets.get(principal);
    if (!bucket) {
      bucket = new TokenBucket({
        bucketSize: this.limits.burst,
        tokensPerInterval: this.limits.perSecond,
        interval: 'second',
      });
      // A principal not seen recently starts with a full bucket.
      bucket.content = this.limits.burst;
      this.buckets.set(principal, bucket);
    }
    if (bucket.tryRemoveTokens(1)) return { allowed: true };
    this.refusals += 1;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(bucket.getWaitTime(1) / 1000)) };
  }
}

/** Whose allowance a request spends: the token's principal, or the client address without one. */
export function principalOf(auth: Authentication, clientAddress: string | undefined): string {
  return auth.viewer ? `${auth.viewer.role}:${auth.viewer.subject}` : `address:${clientAddress ?? 'unknown'}`;
}
