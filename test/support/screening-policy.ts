import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import {
  DEFAULT_SCREENING_POLICY,
  type ScreeningPolicy,
} from '../../src/services/screening/screening-policy';

/**
 * Writes the default screening policy, changed by `change`, to a temporary file for
 * SCREENING_POLICY_FILE, in the run's scratch directory, and returns its path.
 */
export function screeningPolicyFile(change: (policy: ScreeningPolicy) => void): string {
  const policy = structuredClone(DEFAULT_SCREENING_POLICY);
  change(policy);
  const file = path.join(fs.mkdtempSync(path.join(inject('scratchDirectory'), 'policy-')), 'policy.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

/**
 * For tests that file many claims per customer to make traffic, not to test screening: the
 * claimant's own claim count is not held against it.
 */
export function ignoringClaimantHistory(policy: ScreeningPolicy): void {
  policy.version = `${policy.version}+ignoring-claimant-history`;
  policy.claimantVelocity.bands = [];
  policy.claimantHistory.bands = [];
}
