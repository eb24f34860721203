import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { ratingLabel } from '../entities/financial-rating';
import { InsuranceProvider, InsuranceProviderStatus } from '../entities/insurance-provider.entity';
import { connectionComplexity } from '../graphql/complexity';
import { InsuranceProviderConnection } from '../graphql/insurance-connections';
import {
  AddInsuranceProviderInput,
  InsuranceProviderFilter,
  InsuranceProviderStatusInput,
  UpdateInsuranceProviderInput,
} from '../graphql/insurance-provider-inputs';
import { InsuranceProviderPayload } from '../graphql/insurance-payloads';
import { idOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';

@Resolver(() => InsuranceProvider)
export class InsuranceProviderResolver {
  @Authorized()
  @Query(() => InsuranceProviderConnection, {
    complexity: connectionComplexity,
    description: 'Insurance providers by name; sellers choose among them.',
  })
  async insuranceProviders(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => InsuranceProviderFilter, { nullable: true }) filter: InsuranceProviderFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsuranceProviderConnection> {
    return InsuranceProviderConnection.of(
      await ctx.services.insuranceProviders.list(ctx, { first, after, filter }),
    );
  }

  @Authorized(Role.AGENT)
  @Mutation(() => InsuranceProviderPayload, { description: 'Adds a provider, in the vetted network or not.' })
  addInsuranceProvider(
    @Arg('input', () => AddInsuranceProviderInput) input: AddInsuranceProviderInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceProviders.add(ctx, input);
  }

  @Authorized(Role.AGENT)
  @Mutation(() => InsuranceProviderPayload, {
    description: "Changes a provider's name, rating or network membership.",
  })
  updateInsuranceProvider(
    @Arg('input', () => UpdateInsuranceProviderInput) input: UpdateInsuranceProviderInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceProviders.update(ctx, {
      ...input,
      providerId: idOf(input.providerId, 'InsuranceProvider'),
    });
  }

  @Authorized(Role.AGENT)
  @Mutation(() => InsuranceProviderPayload, {
    description:
      'Takes a provider out of the network: asked for no quotes, its open offers can no longer be bound.',
  })
  suspendInsuranceProvider(
    @Arg('input', () => InsuranceProviderStatusInput) input: InsuranceProviderStatusInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceProviders.setStatus(
      ctx,
      idOf(input.providerId, 'InsuranceProvider'),
      InsuranceProviderStatus.SUSPENDED,
    );
  }

  @Authorized(Role.AGENT)
  @Mutation(() => InsuranceProviderPayload)
  reinstateInsuranceProvider(
    @Arg('input', () => InsuranceProviderStatusInput) input: InsuranceProviderStatusInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insuranceProviders.setStatus(
      ctx,
      idOf(input.providerId, 'InsuranceProvider'),
      InsuranceProviderStatus.ACTIVE,
    );
  }

  @FieldResolver(() => String, { nullable: true, description: 'The rating as insurers write it, e.g. "A-".' })
  financialRatingLabel(@Root() provider: InsuranceProvider): string | null {
    return provider.financialRating ? ratingLabel(provider.financialRating) : null;
  }

  @FieldResolver(() => Boolean, {
    description:
      'Quotes at once from a built-in rating model; otherwise a partner insurer that answers through the API.',
  })
  quotesInstantly(@Root() provider: InsuranceProvider): boolean {
    return Boolean(provider.ratingModel);
  }
}
