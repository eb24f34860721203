import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { InsuranceQuoteRequest } from '../entities/insurance-quote-request.entity';
import { InsuranceQuote, QuoteStatus, quoteStatusAt } from '../entities/insurance-quote.entity';
import { RequirementCheck } from '../entities/requirement-check';
import { Seller } from '../entities/seller.entity';
import { connectionComplexity } from '../graphql/complexity';
import { idOf, optionalIdOf } from '../graphql/global-id';
import { InsuranceQuoteConnection, InsuranceQuoteRequestConnection } from '../graphql/insurance-connections';
import {
  BindInsuranceQuoteInput,
  DeclineInsuranceQuoteInput,
  QuoteFilter,
  QuoteOrder,
  RequestInsuranceQuotesInput,
  SubmitInsuranceQuoteInput,
} from '../graphql/insurance-quote-inputs';
import { Money } from '../graphql/money.type';
import { QuotedProfileType } from '../graphql/quoted-profile.type';
import { RatingFactorType } from '../graphql/rating-factor.type';
import {
  BindInsuranceQuotePayload,
  InsuranceQuotePayload,
  RequestInsuranceQuotesPayload,
} from '../graphql/insurance-payloads';
import type { RequestContext } from '../server/request-context';

@Resolver(() => InsuranceQuoteRequest)
export class InsuranceQuoteRequestResolver {
  @Authorized(Role.SELLER, Role.INSURER, Role.AGENT)
  @Query(() => InsuranceQuoteRequest, {
    nullable: true,
    description: "A quote request: the seller's own; for an insurer, one addressed to it; null otherwise.",
  })
  quoteRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.insuranceQuotes.findRequest(ctx, idOf(id, 'InsuranceQuoteRequest'));
  }

  @Authorized(Role.SELLER, Role.AGENT)
  @Query(() => InsuranceQuoteRequestConnection, {
    complexity: connectionComplexity,
    description: "A seller's quote requests, newest first (agents: every seller's, or one's).",
  })
  async quoteRequests(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('sellerId', () => ID, { nullable: true }) sellerId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsuranceQuoteRequestConnection> {
    return InsuranceQuoteRequestConnection.of(
      await ctx.services.insuranceQuotes.listRequests(ctx, {
        first,
        after,
        sellerId: optionalIdOf(sellerId, 'Seller'),
      }),
    );
  }

  @Authorized(Role.INSURER)
  @Query(() => InsuranceQuoteRequestConnection, {
    complexity: connectionComplexity,
    description: 'Requests waiting for the calling insurer to quote or decline, oldest first.',
  })
  async openQuoteRequests(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsuranceQuoteRequestConnection> {
    return InsuranceQuoteRequestConnection.of(
      await ctx.services.insuranceQuotes.openRequests(ctx, { first, after }),
    );
  }

  @Authorized(Role.SELLER, Role.AGENT)
  @Mutation(() => RequestInsuranceQuotesPayload, {
    description: 'Asks every active provider of the vetted network for a quote.',
  })
  requestInsuranceQuotes(
    @Arg('input', () => RequestInsuranceQuotesInput) input: RequestInsuranceQuotesInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceQuotes.request(ctx, {
      ...input,
      sellerId: optionalIdOf(input.sellerId, 'Seller'),
    });
  }

  @FieldResolver(() => Seller)
  seller(@Root() request: InsuranceQuoteRequest, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(request.seller.id);
  }

  @FieldResolver(() => QuotedProfileType)
  profile(@Root() request: InsuranceQuoteRequest): QuotedProfileType {
    const { annualRevenueMinor, currency, ...rest } = request.profile;
    return { ...rest, annualRevenue: Money.of(BigInt(annualRevenueMinor), currency) };
  }

  @FieldResolver(() => InsuranceQuoteConnection, {
    complexity: connectionComplexity,
    description: 'The quotes, cheapest first unless ordered otherwise; an insurer sees only its own.',
  })
  async quotes(
    @Root() request: InsuranceQuoteRequest,
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('orderBy', () => QuoteOrder, { nullable: true }) orderBy: QuoteOrder | null,
    @Arg('filter', () => QuoteFilter, { nullable: true }) filter: QuoteFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsuranceQuoteConnection> {
    return InsuranceQuoteConnection.of(
      await ctx.services.insuranceQuotes.quotesOf(ctx, request, {
        first,
        after,
        orderBy,
        statuses: filter?.statuses,
        meetsRequirements: filter?.meetsRequirements,
      }),
    );
  }
}

@Resolver(() => InsuranceQuote)
export class InsuranceQuoteResolver {
  @Authorized(Role.INSURER)
  @Mutation(() => InsuranceQuotePayload, { description: 'A partner insurer prices a quote addressed to it.' })
  submitInsuranceQuote(
    @Arg('input', () => SubmitInsuranceQuoteInput) input: SubmitInsuranceQuoteInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceQuotes.submit(ctx, {
      ...input,
      quoteId: idOf(input.quoteId, 'InsuranceQuote'),
    });
  }

  @Authorized(Role.INSURER)
  @Mutation(() => InsuranceQuotePayload, {
    description: 'A partner insurer declines a quote addressed to it.',
  })
  declineInsuranceQuote(
    @Arg('input', () => DeclineInsuranceQuoteInput) input: DeclineInsuranceQuoteInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceQuotes.decline(ctx, {
      ...input,
      quoteId: idOf(input.quoteId, 'InsuranceQuote'),
    });
  }

  @Authorized(Role.SELLER)
  @Mutation(() => BindInsuranceQuotePayload, {
    description:
      'Binds an open offer that meets every requirement; the request’s other quotes are not taken.',
  })
  bindInsuranceQuote(
    @Arg('input', () => BindInsuranceQuoteInput) input: BindInsuranceQuoteInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceQuotes.bind(ctx, {
      ...input,
      quoteId: idOf(input.quoteId, 'InsuranceQuote'),
    });
  }

  @FieldResolver(() => QuoteStatus, { description: 'As of now: an offer past validUntil is EXPIRED.' })
  status(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext): QuoteStatus {
    return quoteStatusAt(quote, ctx.services.clock.now());
  }

  @FieldResolver(() => InsuranceQuoteRequest)
  async request(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext) {
    return ctx.loaders.quoteRequest.load(quote.request.id);
  }

  @FieldResolver(() => InsuranceProvider)
  provider(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext) {
    return ctx.loaders.insurer.load(quote.provider.id);
  }

  @FieldResolver(() => GraphQLLocalDate)
  async coverageStart(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext): Promise<string> {
    return (await ctx.loaders.quoteRequest.load(quote.request.id))!.coverageStart;
  }

  @FieldResolver(() => GraphQLLocalDate)
  async coverageEnd(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext): Promise<string> {
    return (await ctx.loaders.quoteRequest.load(quote.request.id))!.coverageEnd;
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: "The insurer's annual premium; null until offered.",
  })
  annualPremium(@Root() quote: InsuranceQuote): Money | null {
    return quote.annualPremiumMinor == null ? null : Money.of(quote.annualPremiumMinor, quote.currency);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: 'What the seller pays a year: exactly the premium.',
  })
  sellerPays(@Root() quote: InsuranceQuote): Money | null {
    return this.annualPremium(quote);
  }

  @FieldResolver(() => Money, {
    description: 'Always zero: the marketplace adds no fee or markup to the premium.',
  })
  marketplaceFee(@Root() quote: InsuranceQuote): Money {
    return Money.of(0n, quote.currency);
  }

  @FieldResolver(() => Money, { nullable: true })
  perOccurrenceLimit(@Root() quote: InsuranceQuote): Money | null {
    return quote.perOccurrenceLimitMinor == null
      ? null
      : Money.of(quote.perOccurrenceLimitMinor, quote.currency);
  }

  @FieldResolver(() => Money, { nullable: true })
  aggregateLimit(@Root() quote: InsuranceQuote): Money | null {
    return quote.aggregateLimitMinor == null ? null : Money.of(quote.aggregateLimitMinor, quote.currency);
  }

  @FieldResolver(() => Money, { nullable: true })
  deductible(@Root() quote: InsuranceQuote): Money | null {
    return quote.deductibleMinor == null ? null : Money.of(quote.deductibleMinor, quote.currency);
  }

  @FieldResolver(() => [RequirementCheck], {
    description: 'Each marketplace requirement with pass or fail; empty until offered.',
  })
  async requirementChecks(
    @Root() quote: InsuranceQuote,
    @Ctx() ctx: RequestContext,
  ): Promise<RequirementCheck[]> {
    return ctx.services.insuranceQuotes.requirementChecks(
      quote,
      (await ctx.loaders.insurer.load(quote.provider.id))!,
    );
  }

  @FieldResolver(() => Boolean, {
    description: 'Whether every requirement passes: only such a quote can be bound.',
  })
  async meetsRequirements(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.insuranceQuotes.meetsRequirements(
      quote,
      (await ctx.loaders.insurer.load(quote.provider.id))!,
    );
  }

  @FieldResolver(() => [RatingFactorType], {
    nullable: true,
    description: 'How a built-in rating model arrived at the premium; null for partner quotes.',
  })
  ratingFactors(@Root() quote: InsuranceQuote): RatingFactorType[] | null {
    return quote.ratingFactors ?? null;
  }

  @FieldResolver(() => InsurancePolicy, { nullable: true, description: 'The policy, once bound.' })
  async policy(@Root() quote: InsuranceQuote, @Ctx() ctx: RequestContext): Promise<InsurancePolicy | null> {
    return quote.status === QuoteStatus.BOUND ? ctx.em.findOne(InsurancePolicy, { quote: quote.id }) : null;
  }
}
