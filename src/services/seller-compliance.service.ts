import type { EntityManager } from '@mikro-orm/core';
import { InsurancePolicy, InsurancePolicyStatus } from '../entities/insurance-policy.entity';

export interface Compliance {
  compliant: boolean;
  /** The policy covering the day, when there is one. */
  policy: InsurancePolicy | null;
  /** Why not, when not compliant. */
  reason: string | null;
}

/**
 * Whether a seller held valid product-liability insurance on a given day: a verified policy whose
 * period covers that day. The insurance marketplace enriches the policy records; this rule reads
 * them.
 */
export class SellerComplianceService {
  async on(em: EntityManager, sellerId: number, day: string): Promise<Compliance> {
    const policy = await em.findOne(
      InsurancePolicy,
      {
        seller: sellerId,
        status: InsurancePolicyStatus.VERIFIED,
        effectiveFrom: { $lte: day },
        effectiveTo: { $gte: day },
      },
      { orderBy: { effectiveFrom: 'desc', id: 'desc' }, populate: ['provider'] },
    );
    return policy
      ? { compliant: true, policy, reason: null }
      : { compliant: false, policy: null, reason: `no verified insurance policy covers ${day}` };
  }
}
