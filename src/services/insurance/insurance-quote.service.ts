import { type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { lockedForUpdate } from '../../db/row-lock';
import { ActorRole } from '../../entities/claim-event-type';
import { InsurancePolicyEventType } from '../../entities/insurance-policy-event.entity';
import {
  InsurancePolicy,
  PolicySource,
  PolicyVerificationStatus,
} from '../../entities/insurance-policy.entity';
import { InsuranceProvider, InsuranceProviderStatus } from '../../entities/insurance-provider.entity';
import { InsuranceQuoteRequest, QuoteRequestStatus } from '../../entities/insurance-quote-request.entity';
import { InsuranceQuote, QuoteStatus, quoteStatusAt } from '../../entities/insurance-quote.entity';
import type { RequirementCheck } from '../../entities/requirement-check';
import { SellerInsuranceProfile } from '../../entities/seller-insurance-profile.entity';
import type { RequestContext } from '../../server/request-context';
import { type Clock, utcDay } from '../common/clock';
import type { MutationRunner } from '../common/mutation-runner';
import { NotificationCategory } from '../../entities/notification-category';
import type { NotificationService } from '../notifications/notification.service';
import {
  checkPageSize,
  type KeysetPage,
  paginateByKeyset,
  type SortDirection,
} from '../common/keyset-pagination';
import { checkMoney, type MoneyRequest } from '../money/money-input';
import { Refusal } from '../common/refusal';
import { hashRequest } from '../common/request-hash';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import type { InsuranceAccessService } from './insurance-access.service';
import { checkCoverTerms } from './cover-terms-input';
import type { InsurancePolicyService } from './insurance-policy.service';
import {
  type CoverTerms,
  checkRequirements,
  describeFailures,
  type InsuranceRequirements,
} from './insurance-requirements';
import { recordPolicyEvent } from './policy-history';
import { pageOfQuotes, QuoteSortField } from './quote-ordering';
import { RATING_MODELS, rate } from './rating-models';
import type { SellerInsuranceProfileService } from './seller-insurance-profile.service';

export interface RequestQuotesRequest {
  sellerId?: number | null;
  coverageStart?: string | null;
  idempotencyKey: string;
}

export interface SubmitQuoteRequest {
  quoteId: number;
  annualPremium: MoneyRequest;
  perOccurrenceLimit: MoneyRequest;
  aggregateLimit: MoneyRequest;
  deductible: MoneyRequest;
  additionalInsured: boolean;
  validUntil: Date;
}

export interface QuotesArgs {
  first: number;
  after?: string | null;
  orderBy?: { field: QuoteSortField; direction: SortDirection } | null;
  meetsRequirements?: boolean | null;
  statuses?: QuoteStatus[] | null;
}

export type RequestResult =
  { quoteRequest: InsuranceQuoteRequest; userErrors: [] } | { quoteRequest: null; userErrors: UserError[] };
export type QuoteResult =
  { quote: InsuranceQuote; userErrors: [] } | { quote: null; userErrors: UserError[] };
export type BindResult =
  { policy: InsurancePolicy; userErrors: [] } | { policy: null; userErrors: UserError[] };

const DAY = 24 * 60 * 60 * 1000;
const REQUEST_QUOTES = 'requestInsuranceQuotes';
const BIND_QUOTE = 'bindInsuranceQuote';
/** Cover may be asked to start up to this many days ahead. */
const MAX_START_AHEAD_DAYS = 90;
/** A partner's offer may stay open at most this long. */
const MAX_OFFER_DAYS = 90;
const PREMIUM_BOUNDS = { maxMajor: 100_000_000n, allowZero: false };

function addDays(day: string, days: number): string {
  return utcDay(new Date(new Date(`${day}T00:00:00.000Z`).getTime() + days * DAY));
}

/** One year of cover from `start`: the day before the same date next year is the last. */
function yearFrom(start: string): string {
  const next = new Date(`${start}T00:00:00.000Z`);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return addDays(utcDay(next), -1);
}

export function quoteTerms(quote: InsuranceQuote): CoverTerms | null {
  if (
    quote.perOccurrenceLimitMinor == null ||
    quote.aggregateLimitMinor == null ||
    quote.deductibleMinor == null
  )
    return null;
  return {
    currency: quote.currency,
    perOccurrenceLimitMinor: quote.perOccurrenceLimitMinor,
    aggregateLimitMinor: quote.aggregateLimitMinor,
    deductibleMinor: quote.deductibleMinor,
    additionalInsured: quote.additionalInsured ?? false,
  };
}

/**
 * The Insurance Accelerator: a seller's request goes to every active provider of the vetted
 * network; built-in providers price it at once from their rating models, partner insurers answer
 * through the API. The seller compares the quotes, each checked against the marketplace's
 * requirements, and binds one: the premium is all the seller pays.
 */
export class InsuranceQuoteService {
  constructor(
    private readonly clock: Clock,
    private readonly supportedCurrencies: readonly string[],
    private readonly requirements: InsuranceRequirements,
    private readonly quoteResponseDays: number,
    private readonly mutations: MutationRunner,
    private readonly notifications: NotificationService,
    private readonly access: InsuranceAccessService,
    private readonly profiles: SellerInsuranceProfileService,
    private readonly policies: InsurancePolicyService,
  ) {}

  requirementChecks(quote: InsuranceQuote, provider: InsuranceProvider): RequirementCheck[] {
    const terms = quoteTerms(quote);
    return terms ? checkRequirements(terms, provider.financialRating, this.requirements) : [];
  }

  meetsRequirements(quote: InsuranceQuote, provider: InsuranceProvider): boolean {
    const checks = this.requirementChecks(quote, provider);
    return checks.length > 0 && checks.every((check) => check.passed);
  }

  async request(ctx: RequestContext, request: RequestQuotesRequest): Promise<RequestResult> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.AGENT);
    const errors: UserError[] = [];
    const key = checkText(
      request.idempotencyKey,
      ['input', 'idempotencyKey'],
      TEXT_LIMITS.idempotencyKey,
      errors,
    );
    const today = utcDay(this.clock.now());
    const coverageStart = request.coverageStart ?? today;
    if (coverageStart < today || coverageStart > addDays(today, MAX_START_AHEAD_DAYS)) {
      errors.push(
        userError(
          ['input', 'coverageStart'],
          UserErrorCode.OUT_OF_RANGE,
          `cover may start from today up to ${MAX_START_AHEAD_DAYS} days ahead`,
        ),
      );
    }
    const seller = await this.access.sellerFor(ctx, request.sellerId);
    if (!seller) errors.push(userError(['input', 'sellerId'], UserErrorCode.NOT_FOUND, 'no such seller'));
    if (errors.length > 0 || !key || !seller) return { quoteRequest: null, userErrors: errors };

    const requestHash = hashRequest({ sellerId: seller.id, coverageStart });
    const refuse = (code: UserErrorCode, message: string) =>
      new Refusal([userError(['input'], code, message)]);
    return this.mutations.run<RequestResult>(ctx, {
      viewer,
      operation: REQUEST_QUOTES,
      idempotency: { key, requestHash },
      run: async (em) => {
        const profile = await em.findOne(SellerInsuranceProfile, { seller });
        if (!profile) {
          throw refuse(
            UserErrorCode.PROFILE_MISSING,
            'describe the business with updateSellerInsuranceProfile first',
          );
        }
        const providers = await em.find(
          InsuranceProvider,
          { vetted: true, status: InsuranceProviderStatus.ACTIVE },
          { orderBy: { id: 'asc' } },
        );
        if (providers.length === 0) {
          throw refuse(UserErrorCode.NO_PROVIDERS, 'no provider of the vetted network is taking requests');
        }
        const now = this.clock.now();
        const quoteRequest = em.create(InsuranceQuoteRequest, {
          seller,
          status: QuoteRequestStatus.OPEN,
          requestedAt: now,
          coverageStart,
          coverageEnd: yearFrom(coverageStart),
          respondBy: new Date(now.getTime() + this.quoteResponseDays * DAY),
          profile: await this.profiles.snapshot(em, profile, now),
        });
        for (const provider of providers) this.askProvider(em, quoteRequest, provider, now);
        await em.flush();
        // Partner insurers answer through the API: each is told it was asked.
        const asked = providers.filter((provider) => !provider.ratingModel);
        await this.notifications.stage(
          em,
          asked.map((provider) => ({
            recipient: { role: Role.INSURER, subject: provider.externalRef },
            category: NotificationCategory.QUOTE_REQUEST,
            title: `A seller asks for a quote, due by ${quoteRequest.respondBy.toISOString()}`,
            body: `${seller.name} asks the network for product-liability cover from ${coverageStart}. Price it with submitInsuranceQuote or decline it with declineInsuranceQuote by ${quoteRequest.respondBy.toISOString()}.`,
            sourceKey: `quote-request:${quoteRequest.id}:${provider.id}`,
          })),
          now,
        );
        return { quoteRequest, userErrors: [] };
      },
      resourceIdOf: (result) => String(result.quoteRequest!.id),
      replay: async (em, id) => ({
        quoteRequest: await em.findOneOrFail(InsuranceQuoteRequest, Number(id)),
        userErrors: [],
      }),
      refused: (userErrors) => ({ quoteRequest: null, userErrors }),
    });
  }

  /** A built-in provider answers at once from its rating model; a partner gets a pending quote to answer. */
  private askProvider(
    em: EntityManager,
    request: InsuranceQuoteRequest,
    provider: InsuranceProvider,
    now: Date,
  ): void {
    const model = provider.ratingModel ? RATING_MODELS[provider.ratingModel] : undefined;
    const base = { request, provider, currency: request.profile.currency };
    if (!model) {
      em.create(InsuranceQuote, { ...base, status: QuoteStatus.PENDING, validUntil: request.respondBy });
      return;
    }
    const result = rate(model, request.profile);
    if (result.declined) {
      em.create(InsuranceQuote, {
        ...base,
        status: QuoteStatus.DECLINED,
        declineReason: result.reason,
        validUntil: now,
        respondedAt: now,
      });
      return;
    }
    for (const option of result.options) {
      em.create(InsuranceQuote, {
        ...base,
        status: QuoteStatus.OFFERED,
        ...option,
        validUntil: new Date(now.getTime() + model.validDays * DAY),
        respondedAt: now,
      });
    }
  }

  async findRequest(ctx: RequestContext, id: number): Promise<InsuranceQuoteRequest | null> {
    const request = await ctx.em.findOne(InsuranceQuoteRequest, id);
    return request && (await this.access.canSeeRequest(ctx, request)) ? request : null;
  }

  async findQuote(ctx: RequestContext, id: number): Promise<InsuranceQuote | null> {
    const quote = await ctx.em.findOne(InsuranceQuote, id);
    return quote && (await this.access.canSeeQuote(ctx, quote)) ? quote : null;
  }

  /** A seller's own requests (agents: one seller's, or everyone's), newest first. */
  listRequests(
    ctx: RequestContext,
    args: { first: number; after?: string | null; sellerId?: number | null },
  ): Promise<KeysetPage<InsuranceQuoteRequest>> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.AGENT);
    checkPageSize(args.first);
    const filters: FilterQuery<InsuranceQuoteRequest>[] = [];
    if (viewer.role === Role.SELLER) filters.push({ seller: { externalRef: viewer.subject } });
    if (args.sellerId != null) filters.push({ seller: args.sellerId });
    return paginateByKeyset(ctx.em, InsuranceQuoteRequest, filters.length > 0 ? { $and: filters } : {}, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'QUOTE_REQUEST:REQUESTED_AT',
      columns: [{ column: 'requestedAt', direction: 'DESC', parse: parseDate }],
    });
  }

  /** For a partner insurer: requests waiting for its answer, the oldest first. */
  openRequests(
    ctx: RequestContext,
    args: { first: number; after?: string | null },
  ): Promise<KeysetPage<InsuranceQuoteRequest>> {
    const viewer = requireRole(ctx.auth, Role.INSURER);
    checkPageSize(args.first);
    const where = {
      status: QuoteRequestStatus.OPEN,
      quotes: {
        provider: { externalRef: viewer.subject },
        status: QuoteStatus.PENDING,
        validUntil: { $gt: this.clock.now() },
      },
    };
    return paginateByKeyset(ctx.em, InsuranceQuoteRequest, where, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'QUOTE_REQUEST:OPEN',
      columns: [{ column: 'requestedAt', direction: 'ASC', parse: parseDate }],
    });
  }

  /** The quotes of a visible request the viewer may see, ordered and filtered. */
  async quotesOf(
    ctx: RequestContext,
    request: InsuranceQuoteRequest,
    args: QuotesArgs,
  ): Promise<KeysetPage<InsuranceQuote>> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.INSURER, Role.AGENT);
    checkPageSize(args.first);
    const now = this.clock.now();
    const quotes = await ctx.em.find(InsuranceQuote, this.access.quotesOfRequestFilter(viewer, request), {
      populate: ['provider'],
    });
    const ranked = quotes
      .map((quote) => ({ quote, provider: quote.provider }))
      .filter(
        ({ quote, provider }) =>
          (args.statuses == null || args.statuses.includes(quoteStatusAt(quote, now))) &&
          (args.meetsRequirements == null ||
            this.meetsRequirements(quote, provider) === args.meetsRequirements),
      );
    return pageOfQuotes(ranked, args.orderBy ?? { field: QuoteSortField.PREMIUM, direction: 'ASC' }, args);
  }

  /** A partner insurer prices a pending quote. */
  async submit(ctx: RequestContext, request: SubmitQuoteRequest): Promise<QuoteResult> {
    const viewer = requireRole(ctx.auth, Role.INSURER);
    const errors: UserError[] = [];
    const premium = checkMoney(
      request.annualPremium,
      ['input', 'annualPremium'],
      this.supportedCurrencies,
      errors,
      PREMIUM_BOUNDS,
    );
    const terms = checkCoverTerms(request, this.supportedCurrencies, errors);
    const now = this.clock.now();
    if (
      request.validUntil.getTime() <= now.getTime() ||
      request.validUntil.getTime() > now.getTime() + MAX_OFFER_DAYS * DAY
    ) {
      errors.push(
        userError(
          ['input', 'validUntil'],
          UserErrorCode.OUT_OF_RANGE,
          `an offer must stay open after now and at most ${MAX_OFFER_DAYS} days`,
        ),
      );
    }
    if (premium && terms && premium.currency !== terms.currency) {
      errors.push(
        userError(
          ['input', 'annualPremium', 'currencyCode'],
          UserErrorCode.CURRENCY_MISMATCH,
          'the premium must be in the currency of the limits',
        ),
      );
    }
    if (errors.length > 0 || !premium || !terms) return { quote: null, userErrors: errors };
    return this.answer(ctx, viewer, request.quoteId, (quote) => {
      if (terms.currency !== quote.currency) {
        throw new Refusal([
          userError(
            ['input', 'annualPremium', 'currencyCode'],
            UserErrorCode.CURRENCY_MISMATCH,
            `the seller asked for cover in ${quote.currency}`,
          ),
        ]);
      }
      Object.assign(quote, {
        ...terms,
        annualPremiumMinor: premium.minor,
        status: QuoteStatus.OFFERED,
        validUntil: request.validUntil,
        respondedAt: now,
      });
    });
  }

  async decline(ctx: RequestContext, request: { quoteId: number; reason: string }): Promise<QuoteResult> {
    const viewer = requireRole(ctx.auth, Role.INSURER);
    const errors: UserError[] = [];
    const reason = checkText(request.reason, ['input', 'reason'], TEXT_LIMITS.evidenceDescription, errors);
    if (errors.length > 0 || !reason) return { quote: null, userErrors: errors };
    const now = this.clock.now();
    return this.answer(ctx, viewer, request.quoteId, (quote) => {
      Object.assign(quote, { status: QuoteStatus.DECLINED, declineReason: reason, respondedAt: now });
    });
  }

  /** Applies an insurer's answer to its own pending quote, under a row lock. */
  private async answer(
    ctx: RequestContext,
    viewer: Viewer,
    quoteId: number,
    apply: (quote: InsuranceQuote) => void,
  ): Promise<QuoteResult> {
    const refuse = (code: UserErrorCode, message: string) =>
      new Refusal([userError(['input', 'quoteId'], code, message)]);
    return this.mutations.run<QuoteResult>(ctx, {
      viewer,
      operation: 'answerInsuranceQuote',
      run: async (em) => {
        const quote = await em.findOne(InsuranceQuote, quoteId, {
          ...lockedForUpdate(em),
          populate: ['provider', 'request'],
        });
        if (!quote || quote.provider.externalRef !== viewer.subject) {
          throw refuse(UserErrorCode.NOT_FOUND, 'no such quote');
        }
        const status = quoteStatusAt(quote, this.clock.now());
        if (quote.request.status === QuoteRequestStatus.BOUND) {
          throw refuse(UserErrorCode.REQUEST_ALREADY_BOUND, 'the seller already bound another quote');
        }
        if (status === QuoteStatus.EXPIRED) {
          throw refuse(
            UserErrorCode.QUOTE_EXPIRED,
            `the request had to be answered by ${quote.validUntil.toISOString()}`,
          );
        }
        if (status !== QuoteStatus.PENDING) {
          throw refuse(UserErrorCode.QUOTE_ALREADY_ANSWERED, `the quote is already ${status}`);
        }
        apply(quote);
        return { quote, userErrors: [] };
      },
      refused: (userErrors) => ({ quote: null, userErrors }),
    });
  }

  /**
   * Binds an open offer that meets every requirement: a verified policy from the request's cover
   * start, the quote BOUND and the request's other quotes NOT_TAKEN, in one transaction under the
   * request's row lock, so two binds of one request cannot both succeed.
   */
  async bind(ctx: RequestContext, request: { quoteId: number; idempotencyKey: string }): Promise<BindResult> {
    const viewer = requireRole(ctx.auth, Role.SELLER);
    const errors: UserError[] = [];
    const key = checkText(
      request.idempotencyKey,
      ['input', 'idempotencyKey'],
      TEXT_LIMITS.idempotencyKey,
      errors,
    );
    if (errors.length > 0 || !key) return { policy: null, userErrors: errors };
    const requestHash = hashRequest({ quoteId: request.quoteId });
    const refuse = (code: UserErrorCode, message: string) =>
      new Refusal([userError(['input', 'quoteId'], code, message)]);
    return this.mutations.run<BindResult>(ctx, {
      viewer,
      operation: BIND_QUOTE,
      idempotency: { key, requestHash },
      run: async (em) => {
        const found = await em.findOne(InsuranceQuote, request.quoteId, {
          populate: ['request', 'request.seller'],
        });
        if (!found || found.request.seller.externalRef !== viewer.subject)
          throw refuse(UserErrorCode.NOT_FOUND, 'no such quote');
        const quoteRequest = await em.findOneOrFail(
          InsuranceQuoteRequest,
          found.request.id,
          lockedForUpdate(em),
        );
        const quote = await em.findOneOrFail(InsuranceQuote, found.id, {
          ...lockedForUpdate(em),
          populate: ['provider'],
        });
        const now = this.clock.now();
        if (quote.status === QuoteStatus.BOUND) {
          // Bound already, by this seller: binding again changes nothing.
          return { policy: await em.findOneOrFail(InsurancePolicy, { quote }), userErrors: [] };
        }
        const status = quoteStatusAt(quote, now);
        if (quoteRequest.status === QuoteRequestStatus.BOUND || status === QuoteStatus.NOT_TAKEN) {
          throw refuse(UserErrorCode.REQUEST_ALREADY_BOUND, 'another quote of this request was bound');
        }
        if (status === QuoteStatus.EXPIRED)
          throw refuse(
            UserErrorCode.QUOTE_EXPIRED,
            `the offer could be bound until ${quote.validUntil.toISOString()}`,
          );
        if (status !== QuoteStatus.OFFERED)
          throw refuse(UserErrorCode.QUOTE_NOT_OFFERED, `the quote is ${status}, not an offer`);
        const provider = quote.provider;
        if (provider.status === InsuranceProviderStatus.SUSPENDED)
          throw refuse(UserErrorCode.PROVIDER_SUSPENDED, `${provider.name} is suspended by the marketplace`);
        const checks = this.requirementChecks(quote, provider);
        if (!checks.every((check) => check.passed)) {
          throw refuse(
            UserErrorCode.REQUIREMENTS_NOT_MET,
            `the quote does not meet the marketplace's requirements: ${describeFailures(checks)}`,
          );
        }

        const policy = em.create(InsurancePolicy, {
          seller: quoteRequest.seller,
          provider,
          policyNumber: `CG-${provider.naicCode ?? provider.id}-${String(quote.id).padStart(8, '0')}`,
          effectiveFrom: quoteRequest.coverageStart,
          effectiveTo: quoteRequest.coverageEnd,
          verificationStatus: PolicyVerificationStatus.VERIFIED,
          source: PolicySource.MARKETPLACE_QUOTE,
          quote,
          ...quoteTerms(quote)!,
          annualPremiumMinor: quote.annualPremiumMinor,
          registeredAt: now,
          verifiedAt: now,
          verifiedByRole: ActorRole.SYSTEM,
        });
        quote.status = QuoteStatus.BOUND;
        quoteRequest.status = QuoteRequestStatus.BOUND;
        const others = await em.find(InsuranceQuote, {
          request: quoteRequest,
          id: { $ne: quote.id },
          status: { $in: [QuoteStatus.PENDING, QuoteStatus.OFFERED] },
        });
        for (const other of others) other.status = QuoteStatus.NOT_TAKEN;
        recordPolicyEvent(
          em,
          policy,
          InsurancePolicyEventType.BOUND,
          ActorRole.SELLER,
          `Bound through the marketplace: ${provider.name}, ${quoteRequest.coverageStart} to ${quoteRequest.coverageEnd}. The seller pays the insurer's premium only.`,
          now,
        );
        this.policies.scheduleExpiry(em, policy, now);
        return { policy, userErrors: [] };
      },
      resourceIdOf: (result) => String(result.policy!.id),
      replay: async (em, id) => ({
        policy: await em.findOneOrFail(InsurancePolicy, Number(id)),
        userErrors: [],
      }),
      refused: (userErrors) => ({ policy: null, userErrors }),
    });
  }
}

function parseDate(raw: string): Date | null {
  return Number.isNaN(Date.parse(raw)) ? null : new Date(raw);
}
