import type { EntityManager } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import { ClaimStatus } from '../../entities/claim-status';
import { Claim } from '../../entities/claim.entity';
import type { QuotedProfile } from '../../entities/insurance-quote-request.entity';
import { SellerInsuranceProfile } from '../../entities/seller-insurance-profile.entity';
import type { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import { checkMoney, type MoneyRequest } from '../money/money-input';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import type { InsuranceAccessService } from './insurance-access.service';

export interface UpdateProfileRequest {
  sellerId?: number | null;
  productCategories: string[];
  annualRevenue: MoneyRequest;
  unitsSold: number;
  yearsInBusiness: number;
}

export interface ClaimsHistory {
  windowYears: number;
  claims: number;
  paidClaims: number;
  deniedClaims: number;
  openClaims: number;
}

export type ProfileResult =
  { profile: SellerInsuranceProfile; userErrors: [] } | { profile: null; userErrors: UserError[] };

/** Insurers are shown the last three years of claims. */
export const CLAIMS_HISTORY_YEARS = 3;
const MAX_CATEGORIES = 20;
const MAX_UNITS = 1_000_000_000;
const MAX_YEARS = 200;
/** Revenue up to a trillion in the major unit; zero for a seller that has not sold yet. */
const REVENUE_BOUNDS = { maxMajor: 1_000_000_000_000n, allowZero: true };
const PAID = [ClaimStatus.PAID, ClaimStatus.CLOSED];
const SETTLED = [...PAID, ClaimStatus.DENIED, ClaimStatus.WITHDRAWN];

/**
 * A seller's insurance profile: what it tells insurers about its business, and the claims history
 * claimgraph knows of it. Only claims that passed screening count: a claim screened out says
 * nothing about the seller's products.
 */
export class SellerInsuranceProfileService {
  constructor(
    private readonly clock: Clock,
    private readonly supportedCurrencies: readonly string[],
    private readonly access: InsuranceAccessService,
  ) {}

  async find(ctx: RequestContext, sellerId: number | null): Promise<SellerInsuranceProfile | null> {
    requireRole(ctx.auth, Role.SELLER, Role.AGENT);
    const seller = await this.access.sellerFor(ctx, sellerId);
    return seller && ctx.em.findOne(SellerInsuranceProfile, { seller });
  }

  async update(ctx: RequestContext, request: UpdateProfileRequest): Promise<ProfileResult> {
    requireRole(ctx.auth, Role.SELLER, Role.AGENT);
    const errors: UserError[] = [];
    const categories = this.checkCategories(request.productCategories, errors);
    const revenue = checkMoney(
      request.annualRevenue,
      ['input', 'annualRevenue'],
      this.supportedCurrencies,
      errors,
      REVENUE_BOUNDS,
    );
    if (!Number.isInteger(request.unitsSold) || request.unitsSold < 0 || request.unitsSold > MAX_UNITS) {
      errors.push(
        userError(
          ['input', 'unitsSold'],
          UserErrorCode.OUT_OF_RANGE,
          `unitsSold must be between 0 and ${MAX_UNITS}`,
        ),
      );
    }
    if (
      !Number.isInteger(request.yearsInBusiness) ||
      request.yearsInBusiness < 0 ||
      request.yearsInBusiness > MAX_YEARS
    ) {
      errors.push(
        userError(
          ['input', 'yearsInBusiness'],
          UserErrorCode.OUT_OF_RANGE,
          `yearsInBusiness must be between 0 and ${MAX_YEARS}`,
        ),
      );
    }
    const seller = await this.access.sellerFor(ctx, request.sellerId);
    if (!seller) errors.push(userError(['input', 'sellerId'], UserErrorCode.NOT_FOUND, 'no such seller'));
    if (errors.length > 0 || !categories || !revenue || !seller) return { profile: null, userErrors: errors };

    const values = {
      productCategories: categories,
      annualRevenueMinor: revenue.minor,
      currency: revenue.currency,
      unitsSold: request.unitsSold,
      yearsInBusiness: request.yearsInBusiness,
      updatedAt: this.clock.now(),
    };
    // One profile per seller: the unique seller column settles two first writes at once.
    const profile = await ctx.em.upsert(
      SellerInsuranceProfile,
      { seller, ...values },
      { onConflictFields: ['seller'], onConflictAction: 'merge' },
    );
    return { profile, userErrors: [] };
  }

  /** The seller's claims of the last three years, as `now` sees them. */
  async claimsHistory(em: EntityManager, seller: Seller | number, now: Date): Promise<ClaimsHistory> {
    const since = new Date(now.getTime());
    since.setUTCFullYear(since.getUTCFullYear() - CLAIMS_HISTORY_YEARS);
    const claims = await em.find(
      Claim,
      { seller, filedAt: { $gte: since }, releasedToSellerAt: { $ne: null } },
      { fields: ['status'], disableIdentityMap: true },
    );
    return {
      windowYears: CLAIMS_HISTORY_YEARS,
      claims: claims.length,
      paidClaims: claims.filter((claim) => PAID.includes(claim.status)).length,
      deniedClaims: claims.filter((claim) => claim.status === ClaimStatus.DENIED).length,
      openClaims: claims.filter((claim) => !SETTLED.includes(claim.status)).length,
    };
  }

  /** The profile as insurers are shown it with a quote request. */
  async snapshot(em: EntityManager, profile: SellerInsuranceProfile, now: Date): Promise<QuotedProfile> {
    return {
      productCategories: profile.productCategories,
      annualRevenueMinor: profile.annualRevenueMinor.toString(),
      currency: profile.currency,
      unitsSold: profile.unitsSold,
      yearsInBusiness: profile.yearsInBusiness,
      claimsHistory: await this.claimsHistory(em, profile.seller, now),
    };
  }

  private checkCategories(raw: string[], errors: UserError[]): string[] | null {
    const field = ['input', 'productCategories'];
    if (raw.length === 0) {
      errors.push(userError(field, UserErrorCode.REQUIRED, 'name at least one product category'));
      return null;
    }
    if (raw.length > MAX_CATEGORIES) {
      errors.push(userError(field, UserErrorCode.TOO_MANY_ITEMS, `at most ${MAX_CATEGORIES} categories`));
      return null;
    }
    const before = errors.length;
    const categories = raw.map((category, index) =>
      checkText(category, [...field, String(index)], TEXT_LIMITS.category, errors)?.toLowerCase(),
    );
    if (errors.length > before) return null;
    const distinct = [...new Set(categories as string[])];
    if (distinct.length !== categories.length) {
      errors.push(userError(field, UserErrorCode.DUPLICATE_VALUE, 'each category may be named once'));
      return null;
    }
    return distinct.sort();
  }
}
