import type { EntityManager } from '@mikro-orm/core';
import { InsurancePolicy, PolicyVerificationStatus } from '../../entities/insurance-policy.entity';

export interface Compliance {
  compliant: boolean;
  /** The day judged (YYYY-MM-DD). */
  day: string;
  /** The verified policy covering the day, when there is one. */
  policy: InsurancePolicy | null;
  /** Why not, when not compliant: one line per fact, e.g. a policy pending verification. */
  reasons: string[];
}

/**
 * Whether a seller held valid product-liability insurance on a given day: a verified policy whose
 * period covers that day and that was not cancelled by then. Verification checked the policy
 * against the marketplace's requirements. The claim workflow's no-cost rule reads this.
 */
export class SellerComplianceService {
  async on(em: EntityManager, sellerId: number, day: string): Promise<Compliance> {
    return (await this.ofSellers(em, [sellerId]))(sellerId, day);
  }

  /** Judges any day of the given sellers from one read of their policies. */
  async ofSellers(
    em: EntityManager,
    sellerIds: readonly number[],
  ): Promise<(sellerId: number, day: string) => Compliance> {
    const all = await em.find(
      InsurancePolicy,
      { seller: { $in: [...new Set(sellerIds)] } },
      { orderBy: { effectiveFrom: 'desc', id: 'desc' }, populate: ['provider'] },
    );
    return (sellerId, day) =>
      judge(
        all.filter((policy) => policy.seller.id === sellerId),
        day,
      );
  }
}

/** `policies`: all of one seller's, latest cover first. */
function judge(policies: InsurancePolicy[], day: string): Compliance {
  const covering = policies.filter((policy) => policy.effectiveFrom <= day && day <= policy.effectiveTo);
  const valid = covering.find(
    (policy) => policy.verificationStatus === PolicyVerificationStatus.VERIFIED && !cancelledBy(policy, day),
  );
  if (valid) return { compliant: true, day, policy: valid, reasons: [] };

  const name = (policy: InsurancePolicy) => `policy ${policy.policyNumber} (${policy.provider.name})`;
  const reasons: string[] = [];
  if (policies.length === 0) reasons.push('no product-liability policy is on record');
  else if (covering.length === 0) reasons.push(`no policy covers ${day}`);
  for (const policy of covering) {
    if (cancelledBy(policy, day)) reasons.push(`${name(policy)} was cancelled from ${policy.cancelledFrom}`);
    else if (policy.verificationStatus === PolicyVerificationStatus.PENDING_VERIFICATION)
      reasons.push(`${name(policy)} covering ${day} is not verified yet`);
    else if (policy.verificationStatus === PolicyVerificationStatus.REJECTED)
      reasons.push(`${name(policy)} covering ${day} was rejected`);
  }
  const ended = policies
    .filter((policy) => policy.effectiveTo < day)
    .sort((a, b) => (a.effectiveTo < b.effectiveTo ? 1 : -1))[0];
  if (ended && covering.length === 0) reasons.push(`${name(ended)} ended on ${ended.effectiveTo}`);
  const next = policies
    .filter((policy) => policy.effectiveFrom > day)
    .sort((a, b) => (a.effectiveFrom > b.effectiveFrom ? 1 : -1))[0];
  if (next && covering.length === 0) reasons.push(`${name(next)} starts on ${next.effectiveFrom}`);
  return { compliant: false, day, policy: null, reasons };
}

function cancelledBy(policy: InsurancePolicy, day: string): boolean {
  return Boolean(policy.cancelledFrom && policy.cancelledFrom <= day);
}
