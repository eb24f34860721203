import { GraphQLDateTime } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { InsurancePolicyEvent } from '../entities/insurance-policy-event.entity';
import { InsurancePolicy, PolicyVerificationStatus } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { InsuranceQuote } from '../entities/insurance-quote.entity';
import { RequirementCheck } from '../entities/requirement-check';
import { Seller } from '../entities/seller.entity';
import { connectionComplexity } from '../graphql/complexity';
import { InsurancePolicyConnection } from '../graphql/insurance-connections';
import {
  CancelInsurancePolicyInput,
  RegisterInsurancePolicyInput,
  VerifyInsurancePolicyInput,
} from '../graphql/insurance-policy-inputs';
import { Money } from '../graphql/money.type';
import { SellerCompliance } from '../graphql/seller-compliance.type';
import { InsurancePolicyPayload } from '../graphql/insurance-payloads';
import { idOf, optionalIdOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';
import { utcDay } from '../services/common/clock';
import { PolicyStatus, policyStatusOn } from '../services/insurance/insurance-policy.service';

@Resolver(() => InsurancePolicy)
export class InsurancePolicyResolver {
  @Authorized(Role.SELLER, Role.INSURER, Role.AGENT)
  @Query(() => InsurancePolicyConnection, {
    complexity: connectionComplexity,
    description:
      "Policies, latest cover first: a seller's own, those an insurer underwrites, or (agents) all.",
  })
  async insurancePolicies(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('sellerId', () => ID, { nullable: true }) sellerId: string | null,
    @Arg('verificationStatus', () => PolicyVerificationStatus, { nullable: true })
    verificationStatus: PolicyVerificationStatus | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsurancePolicyConnection> {
    return InsurancePolicyConnection.of(
      await ctx.services.insurancePolicies.list(ctx, {
        first,
        after,
        sellerId: optionalIdOf(sellerId, 'Seller'),
        verificationStatus,
      }),
    );
  }

  @Authorized(Role.SELLER, Role.INSURER, Role.AGENT)
  @Query(() => SellerCompliance, {
    nullable: true,
    description:
      "Whether the seller held valid insurance at `at` (default now) and why not: a seller its own, an insurer its policyholders', agents any; null otherwise.",
  })
  sellerCompliance(
    @Arg('sellerId', () => ID, { nullable: true }) sellerId: string | null,
    @Arg('at', () => GraphQLDateTime, { nullable: true }) at: Date | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insurancePolicies.compliance(
      ctx,
      optionalIdOf(sellerId, 'Seller'),
      at ?? ctx.services.clock.now(),
    );
  }

  @Authorized(Role.SELLER, Role.AGENT)
  @Mutation(() => InsurancePolicyPayload, {
    description: 'Registers a policy bought outside the network; it waits for verification.',
  })
  registerInsurancePolicy(
    @Arg('input', () => RegisterInsurancePolicyInput) input: RegisterInsurancePolicyInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insurancePolicies.register(ctx, {
      ...input,
      sellerId: optionalIdOf(input.sellerId, 'Seller'),
      providerId: idOf(input.providerId, 'InsuranceProvider'),
    });
  }

  @Authorized(Role.AGENT, Role.INSURER)
  @Mutation(() => InsurancePolicyPayload, {
    description:
      'An agent or the issuing insurer verifies a registered policy: VERIFIED, or REJECTED with the failed requirements.',
  })
  verifyInsurancePolicy(
    @Arg('input', () => VerifyInsurancePolicyInput) input: VerifyInsurancePolicyInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insurancePolicies.verify(ctx, {
      ...input,
      policyId: idOf(input.policyId, 'InsurancePolicy'),
    });
  }

  @Authorized(Role.SELLER, Role.INSURER, Role.AGENT)
  @Mutation(() => InsurancePolicyPayload, { description: 'Ends cover from a day on.' })
  cancelInsurancePolicy(
    @Arg('input', () => CancelInsurancePolicyInput) input: CancelInsurancePolicyInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.insurancePolicies.cancel(ctx, {
      ...input,
      policyId: idOf(input.policyId, 'InsurancePolicy'),
    });
  }

  @FieldResolver(() => PolicyStatus, {
    description:
      'Cover as of today: UPCOMING before it starts, ACTIVE, EXPIRED after it ends, CANCELLED from the cancellation day.',
  })
  status(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext): PolicyStatus {
    return policyStatusOn(policy, utcDay(ctx.services.clock.now()));
  }

  @FieldResolver(() => InsuranceProvider)
  provider(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.insurer.load(policy.provider.id);
  }

  @FieldResolver(() => Seller)
  seller(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(policy.seller.id);
  }

  @FieldResolver(() => Money)
  perOccurrenceLimit(@Root() policy: InsurancePolicy): Money {
    return Money.of(policy.perOccurrenceLimitMinor, policy.currency);
  }

  @FieldResolver(() => Money)
  aggregateLimit(@Root() policy: InsurancePolicy): Money {
    return Money.of(policy.aggregateLimitMinor, policy.currency);
  }

  @FieldResolver(() => Money)
  deductible(@Root() policy: InsurancePolicy): Money {
    return Money.of(policy.deductibleMinor, policy.currency);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'Known for policies bound through the marketplace: what the seller pays the insurer, and nothing more.',
  })
  annualPremium(@Root() policy: InsurancePolicy): Money | null {
    return policy.annualPremiumMinor == null ? null : Money.of(policy.annualPremiumMinor, policy.currency);
  }

  @FieldResolver(() => Money, {
    description: 'Always zero: the marketplace takes no fee or markup on insurance.',
  })
  marketplaceFee(@Root() policy: InsurancePolicy): Money {
    return Money.of(0n, policy.currency);
  }

  @FieldResolver(() => [RequirementCheck], {
    description:
      "Each marketplace requirement checked against the policy's terms and its insurer's current rating.",
  })
  async requirementChecks(
    @Root() policy: InsurancePolicy,
    @Ctx() ctx: RequestContext,
  ): Promise<RequirementCheck[]> {
    return ctx.services.insurancePolicies.requirementChecks(
      policy,
      (await ctx.loaders.insurer.load(policy.provider.id))!,
    );
  }

  @FieldResolver(() => [RequirementCheck], {
    description: 'For a rejected policy: what failed when it was verified.',
  })
  failedRequirements(@Root() policy: InsurancePolicy): RequirementCheck[] {
    return policy.failedRequirements ?? [];
  }

  @FieldResolver(() => InsuranceQuote, { nullable: true, description: 'The quote it was bound from.' })
  quote(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return policy.quote ? ctx.em.findOne(InsuranceQuote, policy.quote.id) : null;
  }

  @FieldResolver(() => [InsurancePolicyEvent], {
    description:
      'Binding, registration, verification, cancellation, expiry reminders and expiry, oldest first.',
  })
  events(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.policyEvents.load(policy.id);
  }
}
