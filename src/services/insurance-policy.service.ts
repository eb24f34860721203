import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { requireRole } from '../auth/require-viewer';
import { Role } from '../auth/role';
import { InsurancePolicy, InsurancePolicyStatus } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { Seller } from '../entities/seller.entity';
import type { RequestContext } from '../server/request-context';
import { checkExternalRef, checkText, TEXT_LIMITS } from './text-input';
import { type UserError, UserErrorCode, userError } from './user-error';

export interface RecordInsurancePolicyRequest {
  sellerRef: string;
  providerRef: string;
  providerName: string;
  policyNumber: string;
  effectiveFrom: string;
  effectiveTo: string;
}

type Recorded = { policy: InsurancePolicy; userErrors: [] } | { policy: null; userErrors: UserError[] };

/**
 * The minimal policy record the claim workflow reads (who insures a seller, for which days). An
 * agent records policies verified outside claimgraph; the insurance marketplace adds quoting,
 * binding and verification on top.
 */
export class InsurancePolicyService {
  async record(ctx: RequestContext, request: RecordInsurancePolicyRequest): Promise<Recorded> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const providerRef = checkExternalRef(request.providerRef, ['input', 'providerRef'], errors);
    const providerName = checkText(request.providerName, ['input', 'providerName'], TEXT_LIMITS.personName, errors);
    const policyNumber = checkText(request.policyNumber, ['input', 'policyNumber'], TEXT_LIMITS.externalRef, errors);
    if (request.effectiveTo < request.effectiveFrom) {
      errors.push(userError(['input', 'effectiveTo'], UserErrorCode.PERIOD_INVALID, 'effectiveTo is before effectiveFrom'));
    }
    if (errors.length > 0 || !providerRef || !providerName || !policyNumber) return { policy: null, userErrors: errors };

    const write = () =>
      ctx.em.transactional(async (em): Promise<Recorded> => {
        const seller = await em.findOne(Seller, { externalRef: request.sellerRef });
        if (!seller) return { policy: null, userErrors: [userError(['input', 'sellerRef'], UserErrorCode.NOT_FOUND, 'no seller with this reference')] };
        const provider =
          (await em.findOne(InsuranceProvider, { externalRef: providerRef })) ??
          em.create(InsuranceProvider, { externalRef: providerRef, name: providerName });
        const existing = await em.findOne(InsurancePolicy, { provider, policyNumber });
        if (existing) {
          const same =
            existing.seller.id === seller.id &&
            existing.effectiveFrom === request.effectiveFrom &&
            existing.effectiveTo === request.effectiveTo;
          return same
            ? { policy: existing, userErrors: [] }
            : { policy: null, userErrors: [userError(['input', 'policyNumber'], UserErrorCode.POLICY_CONFLICT, 'this policy was recorded with different details')] };
        }
        const policy = em.create(InsurancePolicy, {
          seller,
          provider,
          policyNumber,
          effectiveFrom: request.effectiveFrom,
          effectiveTo: request.effectiveTo,
          status: InsurancePolicyStatus.VERIFIED,
        });
        return { policy, userErrors: [] };
      });
    try {
      return await write();
    } catch (error) {
      // Recorded concurrently: the second writer now finds it and compares.
      if (error instanceof UniqueConstraintViolationException) return write();
      throw error;
    }
  }
}
