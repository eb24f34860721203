import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A weight that applies once a measured value reaches `atLeast`; the highest band reached counts. */
export interface WeightBand {
  atLeast: number;
  weight: number;
}

/**
 * Everything screening decides with: thresholds, weights and the bounds of each signal. A policy
 * is configuration, not code: it can be replaced from a JSON file (SCREENING_POLICY_FILE), and
 * every screening result records the version and the digest of the policy it used, so that a
 * result can always be explained by the exact numbers behind it.
 */
export interface ScreeningPolicy {
  version: string;
  /** Risk at or above which a claim is referred to an independent expert. */
  referAt: number;
  /** Risk at or above which the referral is high priority. */
  highPriorityAt: number;
  /**
   * Claimed amount as a multiple of the order's value. Damage may exceed a product's price many
   * times over (a cheap charger can burn a room), so the bands start high and no band refers a
   * claim on its own; claims with personal injury divide the multiple by
   * `injuryAllowance` first, since medical costs are not bounded by the price either.
   */
  amountToOrderValue: { bands: WeightBand[]; injuryAllowance: number };
  /** Days from delivery to the incident. */
  incidentAfterDeliveryDays: { bands: WeightBand[] };
  /** Days from the incident to filing. */
  filingDelayDays: { bands: WeightBand[] };
  /** The incident happened before the order was delivered. */
  incidentBeforeDelivery: { weight: number };
  /** The order was not delivered when the claim was filed. */
  filedBeforeDelivery: { weight: number };
  /** The claimant's earlier claims within a recent window (velocity). */
  claimantVelocity: { windowDays: number; bands: WeightBand[] };
  /** The claimant's earlier claims within the last year. */
  claimantHistory: { windowDays: number; bands: WeightBand[] };
  /** The claimant's earlier claims that were denied. */
  claimantDenials: { bands: WeightBand[] };
  /** Evidence whose content hash is on an earlier claim: another customer's, or the claimant's own. */
  evidenceReuse: { otherCustomerWeight: number; ownClaimWeight: number };
  /**
   * Descriptions this similar (0–1, Jaccard of word shingles) to another claimant's count, when
   * both have at least `minWords` words: short statements ("the charger caught fire") coincide
   * between honest customers and say nothing about copying.
   */
  similarDescription: { minSimilarity: number; minWords: number; bands: WeightBand[] };
  /** Other customers who claimed on orders delivered to the same address. */
  sharedAddressClaimants: { bands: WeightBand[] };
  /**
   * Other customer accounts, new within `windowDays` (first order), with orders delivered to the
   * same address, claims or not: fresh accounts gathering at one address is how drop addresses
   * look, where a household's accounts ordering over the years are not.
   */
  sharedAddressAccounts: { windowDays: number; bands: WeightBand[] };
  /** The claimant's account is new: its first order is at most `days` before the claim. */
  newAccount: { days: number; weight: number };
  /** Other customers who asked to be paid to the same destination. */
  sharedPayoutDestination: { bands: WeightBand[] };
  /** Claims on the same product within a window: a product-risk signal that adds no risk. */
  productClaims: { windowDays: number; atLeast: number };
}

export const DEFAULT_SCREENING_POLICY: ScreeningPolicy = {
  version: '2026-12-01.1',
  referAt: 30,
  highPriorityAt: 60,
  amountToOrderValue: {
    bands: [
      { atLeast: 8, weight: 5 },
      { atLeast: 15, weight: 10 },
      { atLeast: 40, weight: 25 },
    ],
    injuryAllowance: 10,
  },
  incidentAfterDeliveryDays: { bands: [{ atLeast: 730, weight: 10 }] },
  filingDelayDays: {
    bands: [
      { atLeast: 180, weight: 10 },
      { atLeast: 365, weight: 20 },
    ],
  },
  incidentBeforeDelivery: { weight: 35 },
  filedBeforeDelivery: { weight: 35 },
  claimantVelocity: {
    windowDays: 30,
    bands: [
      { atLeast: 2, weight: 15 },
      { atLeast: 4, weight: 30 },
    ],
  },
  claimantHistory: {
    windowDays: 365,
    bands: [
      { atLeast: 4, weight: 10 },
      { atLeast: 8, weight: 20 },
    ],
  },
  claimantDenials: {
    bands: [
      { atLeast: 1, weight: 15 },
      { atLeast: 2, weight: 30 },
    ],
  },
  evidenceReuse: { otherCustomerWeight: 45, ownClaimWeight: 20 },
  similarDescription: {
    minSimilarity: 0.6,
    minWords: 12,
    bands: [
      { atLeast: 1, weight: 30 },
      { atLeast: 3, weight: 40 },
    ],
  },
  sharedAddressClaimants: {
    bands: [
      { atLeast: 1, weight: 15 },
      { atLeast: 2, weight: 30 },
    ],
  },
  sharedAddressAccounts: {
    windowDays: 120,
    bands: [
      { atLeast: 1, weight: 20 },
      { atLeast: 2, weight: 35 },
    ],
  },
  newAccount: { days: 90, weight: 25 },
  sharedPayoutDestination: { bands: [{ atLeast: 1, weight: 40 }] },
  productClaims: { windowDays: 90, atLeast: 5 },
};

/** The policy with its digest: sha256 of its canonical JSON, recorded with every result. */
export interface LoadedScreeningPolicy {
  policy: ScreeningPolicy;
  digest: string;
}

export function withDigest(policy: ScreeningPolicy): LoadedScreeningPolicy {
  return { policy, digest: `sha256:${createHash('sha256').update(canonicalJson(policy)).digest('hex')}` };
}

/** The default policy, or the one in `file` after checking every field. */
export function loadScreeningPolicy(file?: string): LoadedScreeningPolicy {
  if (!file) return withDigest(DEFAULT_SCREENING_POLICY);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SCREENING_POLICY_FILE ${file} cannot be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const problems = checkPolicy(parsed);
  if (problems.length > 0)
    throw new Error(`SCREENING_POLICY_FILE ${file} is not a valid policy: ${problems.join('; ')}`);
  return withDigest(parsed as ScreeningPolicy);
}

/** Every way `candidate` differs in shape from DEFAULT_SCREENING_POLICY, plus range checks. */
export function checkPolicy(candidate: unknown): string[] {
  const problems: string[] = [];
  compareShape(DEFAULT_SCREENING_POLICY, candidate, 'policy', problems);
  if (problems.length > 0) return problems;
  const policy = candidate as ScreeningPolicy;
  if (policy.version.trim() === '') problems.push('version must not be empty');
  if (!(policy.referAt > 0 && policy.referAt <= policy.highPriorityAt && policy.highPriorityAt <= 100)) {
    problems.push('0 < referAt <= highPriorityAt <= 100 must hold');
  }
  if (!(policy.similarDescription.minSimilarity > 0 && policy.similarDescription.minSimilarity <= 1)) {
    problems.push('similarDescription.minSimilarity must be in (0, 1]');
  }
  if (!(policy.amountToOrderValue.injuryAllowance >= 1))
    problems.push('amountToOrderValue.injuryAllowance must be at least 1');
  return problems;
}

function compareShape(expected: unknown, actual: unknown, path: string, problems: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      problems.push(`${path} must be a list`);
      return;
    }
    actual.forEach((item, index) => compareShape(expected[0], item, `${path}[${index}]`, problems));
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      problems.push(`${path} must be an object`);
      return;
    }
    for (const key of Object.keys(expected)) {
      compareShape(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}.${key}`,
        problems,
      );
    }
    for (const key of Object.keys(actual)) {
      if (!(key in expected)) problems.push(`${path}.${key} is not a policy setting`);
    }
    return;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !Number.isFinite(actual) || actual < 0)
      problems.push(`${path} must be a non-negative number`);
    return;
  }
  if (typeof actual !== typeof expected) problems.push(`${path} must be a ${typeof expected}`);
}

/** JSON with object keys sorted, so the digest does not depend on how a file orders them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
