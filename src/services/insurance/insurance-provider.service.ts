import { requireRole, requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { FinancialRating } from '../../entities/financial-rating';
import { InsuranceProvider, InsuranceProviderStatus } from '../../entities/insurance-provider.entity';
import type { Viewer } from '../../auth/viewer';
import type { RequestContext } from '../../server/request-context';
import type { MutationRunner } from '../common/mutation-runner';
import { Refusal } from '../common/refusal';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import { checkEmail, checkExternalRef, checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import { RATING_MODELS } from './rating-models';

export interface AddInsuranceProviderRequest {
  externalRef: string;
  name: string;
  naicCode: string;
  financialRating: FinancialRating;
  vetted: boolean;
  ratingModel?: string | null;
  contactEmail?: string | null;
}

export interface UpdateInsuranceProviderRequest {
  providerId: number;
  name?: string | null;
  financialRating?: FinancialRating | null;
  vetted?: boolean | null;
  contactEmail?: string | null;
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
  constructor(private readonly mutations: MutationRunner) {}

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
    const viewer = requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const name = checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    const contactEmail =
      request.contactEmail == null
        ? null
        : checkEmail(request.contactEmail, ['input', 'contactEmail'], errors);
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

    const duplicate = (field: string) =>
      userError(['input', field], UserErrorCode.DUPLICATE_VALUE, `a provider with this ${field} exists`);
    return this.mutations.run<ProviderResult>(ctx, {
      viewer,
      operation: 'addInsuranceProvider',
      run: async (em) => {
        const clash = await em.findOne(InsuranceProvider, { $or: [{ externalRef }, { naicCode }] });
        if (clash)
          throw new Refusal([duplicate(clash.externalRef === externalRef ? 'externalRef' : 'naicCode')]);
        const provider = em.create(InsuranceProvider, {
          externalRef,
          name,
          naicCode,
          financialRating: request.financialRating,
          vetted: request.vetted,
          ratingModel,
          contactEmail,
        });
        return { provider, userErrors: [] };
      },
      refused: (userErrors) => ({ provider: null, userErrors }),
      // Added concurrently under the same reference or code.
      raced: [duplicate('externalRef')],
    });
  }

  async update(ctx: RequestContext, request: UpdateInsuranceProviderRequest): Promise<ProviderResult> {
    const viewer = requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const name =
      request.name == null
        ? null
        : checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    const contactEmail =
      request.contactEmail == null
        ? null
        : checkEmail(request.contactEmail, ['input', 'contactEmail'], errors);
    if (errors.length > 0) return { provider: null, userErrors: errors };
    return this.change(ctx, viewer, request.providerId, (provider) => {
      if (name !== null) provider.name = name;
      if (request.financialRating != null) provider.financialRating = request.financialRating;
      if (request.vetted != null) provider.vetted = request.vetted;
      if (contactEmail !== null) provider.contactEmail = contactEmail;
    });
  }

  /** A suspended provider is asked for no more quotes, and its open offers can no longer be bound. */
  setStatus(
    ctx: RequestContext,
    providerId: number,
    status: InsuranceProviderStatus,
  ): Promise<ProviderResult> {
    const viewer = requireRole(ctx.auth, Role.AGENT);
    return this.change(ctx, viewer, providerId, (provider) => {
      provider.status = status;
    });
  }

  private async change(
    ctx: RequestContext,
    viewer: Viewer,
    providerId: number,
    apply: (provider: InsuranceProvider) => void,
  ): Promise<ProviderResult> {
    return this.mutations.run<ProviderResult>(ctx, {
      viewer,
      operation: 'changeInsuranceProvider',
      run: async (em) => {
        const provider = await em.findOne(InsuranceProvider, providerId);
        if (!provider) {
          throw new Refusal([
            userError(['input', 'providerId'], UserErrorCode.NOT_FOUND, 'no such provider'),
          ]);
        }
        apply(provider);
        return { provider, userErrors: [] };
      },
      refused: (userErrors) => ({ provider: null, userErrors }),
    });
  }
}
