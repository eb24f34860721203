/** No wait between two attempts of one delivery exceeds this, however many attempts failed. */
const MAX_DELAY_MS = 12 * 60 * 60 * 1000;

export interface RetrySettings {
  /** The first retry's delay, in seconds; each further one doubles it. */
  retryBaseSeconds: number;
  /** How long, from its first attempt, a delivery is retried at all. */
  retryHours: number;
}

/**
 * When a delivery that just failed its `attempts`-th attempt is tried next, or null when its
 * retry window (from its first attempt: waiting behind an endpoint's failing delivery uses none
 * of it) is over (it is then marked failed and the endpoint's next delivery goes ahead).
 *
 * Exponential back-off with jitter: base × 2^(attempts−1), at most 12 hours, each delay drawn
 * between half and all of it, so that endpoints which failed together do not retry in step. The
 * last attempt falls at the end of the window rather than past it.
 */
export function nextAttemptAfterFailure(
  settings: RetrySettings,
  delivery: { firstAttemptAt: Date; attempts: number },
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const windowEnd = delivery.firstAttemptAt.getTime() + settings.retryHours * 60 * 60 * 1000;
  if (now.getTime() >= windowEnd) return null;
  const exponent = Math.min(Math.max(delivery.attempts - 1, 0), 30);
  const delay = Math.min(settings.retryBaseSeconds * 1000 * 2 ** exponent, MAX_DELAY_MS);
  const jittered = delay / 2 + random() * (delay / 2);
  return new Date(Math.min(now.getTime() + Math.round(jittered), windowEnd));
}
