import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { requireRole, requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { FinancialRating } from '../../entities/financial-rating';
import { InsuranceProvider, InsuranceProviderStatus } from '../../entities/insurance-provider.entity';
import type { RequestContext } from '../../server/request-context';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import { checkExternalRef, checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import { RATING_MODELS } from './rating-models';

export interface AddInsuranceProviderRequest {
  externalRef: string;
  name: string;
  naicCode: string;
  financialRating: FinancialRating;
  vetted: boolean;
  ratingModel?: string | null;
}

export interface UpdateInsuranceProviderRequest {
  providerId: number;
  name?: string | null;
  financialRating?: FinancialRating | null;
  vetted?: boolean | null;
}

export interface ProviderFilter {
  vetted?: boolean | null;
  status?: InsuranceProviderStatus | null;
}

export type ProviderResult =
  { provider: InsuranceProvider; userErrors: [] } | { provider: null; userErrors: UserError[] };

const NAIC_CODE = /^\d{5}$/;

/**
 * The insurance provider network. Agents add providers, rate them, take them into the vetted
 * network and suspend them; anyone signed in may list them, since sellers choose among them.
 */
export class InsuranceProviderService {
  list(
    ctx: RequestContext,
    args: { first: number; after?: string | null; filter?: ProviderFilter | null },
  ): Promise<KeysetPage<InsuranceProvider>> {
    requireViewer(ctx.auth);
    checkPageSize(args.first);
    const where: Record<string, unknown> = {};
    if (args.filter?.vetted != null) where.vetted = args.filter.vetted;
    if (args.filter?.status != null) where.status = args.filter.status;
    return paginateByKeyset(ctx.em, InsuranceProvider, where, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'PROVIDER:NAME',
      columns: [{ column: 'name', direction: 'ASC', parse: (raw) => raw }],
    });
  }

  async add(ctx: RequestContext, request: AddInsuranceProviderRequest): Promise<ProviderResult> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const name = checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    const naicCode = request.naicCode.trim();
    if (!NAIC_CODE.test(naicCode))
      errors.push(
        userError(['input', 'naicCode'], UserErrorCode.INVALID_FORMAT, 'a NAIC company code is five digits'),
      );
    const ratingModel = request.ratingModel ?? null;
    if (ratingModel !== null && !RATING_MODELS[ratingModel]) {
      errors.push(
        userError(
          ['input', 'ratingModel'],
          UserErrorCode.NOT_FOUND,
          `no rating model ${ratingModel}; known: ${Object.keys(RATING_MODELS).join(', ')}`,
        ),
      );
    }
    if (errors.length > 0 || !externalRef || !name) return { provider: null, userErrors: errors };

    try {
      return await ctx.em.transactional(async (em): Promise<ProviderResult> => {
        const clash = await em.findOne(InsuranceProvider, { $or: [{ externalRef }, { naicCode }] });
        if (clash) {
          const field = clash.externalRef === externalRef ? 'externalRef' : 'naicCode';
          return {
            provider: null,
            userErrors: [
              userError(
                ['input', field],
                UserErrorCode.DUPLICATE_VALUE,
                `a provider with this ${field} exists`,
              ),
            ],
          };
        }
        const provider = em.create(InsuranceProvider, {
          externalRef,
          name,
          naicCode,
          financialRating: request.financialRating,
          vetted: request.vetted,
          ratingModel,
        });
        return { provider, userErrors: [] };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        return {
          provider: null,
          userErrors: [
            userError(
              ['input', 'externalRef'],
              UserErrorCode.DUPLICATE_VALUE,
              'a provider with this externalRef or naicCode exists',
            ),
          ],
        };
      }
      throw error;
    }
  }

  async update(ctx: RequestContext, request: UpdateInsuranceProviderRequest): Promise<ProviderResult> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const name =
      request.name == null
        ? null
        : checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    if (errors.length > 0) return { provider: null, userErrors: errors };
    return this.change(ctx, request.providerId, (provider) => {
      if (name !== null) provider.name = name;
      if (request.financialRating != null) provider.financialRating = request.financialRating;
      if (request.vetted != null) provider.vetted = request.vetted;
    });
  }

  /** A suspended provider is asked for no more quotes, and its open offers can no longer be bound. */
  setStatus(
    ctx: RequestContext,
    providerId: number,
    status: InsuranceProviderStatus,
  ): Promise<ProviderResult> {
    requireRole(ctx.auth, Role.AGENT);
    return this.change(ctx, providerId, (provider) => {
      provider.status = status;
    });
  }

  private async change(
    ctx: RequestContext,
    providerId: number,
    apply: (provider: InsuranceProvider) => void,
  ): Promise<ProviderResult> {
    return ctx.em.transactional(async (em): Promise<ProviderResult> => {
      const provider = await em.findOne(InsuranceProvider, providerId);
      if (!provider)
        return {
          provider: null,
          userErrors: [userError(['input', 'providerId'], UserErrorCode.NOT_FOUND, 'no such provider')],
        };
      apply(provider);
      return { provider, userErrors: [] };
    });
  }
}
