import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ClaimEvent } from '../entities/claim-event.entity';
import { ClaimEvidence } from '../entities/claim-evidence.entity';
import { ClaimInjuryDetails } from '../entities/claim-injury-details.entity';
import { ClaimKind, kindsOf } from '../entities/claim-kind';
import { ClaimScreening } from '../entities/claim-screening.entity';
import { FraudReview } from '../entities/fraud-review.entity';
import { Claim } from '../entities/claim.entity';
import { Customer } from '../entities/customer.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { Seller } from '../entities/seller.entity';
import { ClaimConnection } from '../graphql/claim-connections';
import { AddClaimEvidenceInput, ClaimFilter, ClaimOrder, FileClaimInput } from '../graphql/claim-inputs';
import { AddClaimEvidencePayload, FileClaimPayload } from '../graphql/claim-payloads';
import { claimListComplexity, connectionComplexity } from '../graphql/complexity';
import { filterIdOf, idOf } from '../graphql/global-id';
import { Money } from '../graphql/money.type';
import { NextStep } from '../graphql/next-step.type';
import type { RequestContext } from '../server/request-context';
import { claimNumberOf } from '../services/claims/claim-number';
import { ClaimAction, rolesOf } from '../services/claims/claim-actions';
import { FILING_ROLES } from '../services/claims/claim-filing.service';
import { AvailableAction } from '../graphql/available-action.type';
import { ClaimRoute } from '../entities/claim-route';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { ClaimDecision } from '../entities/claim-decision.entity';
import { Payout } from '../entities/payout.entity';
import { ProductDefence } from '../entities/product-defence.entity';
import { Recovery } from '../entities/recovery.entity';

@Resolver(() => Claim)
export class ClaimResolver {
  @Authorized()
  @Query(() => Claim, { nullable: true, description: 'A claim the caller may see; null otherwise.' })
  claim(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Claim | null> {
    return ctx.services.claimQueries.findVisible(ctx, idOf(id, 'Claim'));
  }

  @Authorized()
  @Query(() => ClaimConnection, {
    complexity: connectionComplexity,
    description: 'Claims the caller may see.',
  })
  async claims(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => ClaimFilter, { nullable: true }) filter: ClaimFilter | null,
    @Arg('orderBy', () => ClaimOrder, { nullable: true, description: 'Default: filed-at, newest first.' })
    orderBy: ClaimOrder | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ClaimConnection> {
    const { sellerId, customerId, ...rest } = filter ?? {};
    return ClaimConnection.of(
      await ctx.services.claimQueries.list(ctx, {
        first,
        after,
        orderBy,
        filter: {
          ...rest,
          sellerId: sellerId == null ? undefined : filterIdOf(sellerId, 'Seller', 'filter.sellerId'),
          customerId:
            customerId == null ? undefined : filterIdOf(customerId, 'Customer', 'filter.customerId'),
        },
      }),
    );
  }

  @Authorized(...FILING_ROLES)
  @Mutation(() => FileClaimPayload, {
    description: 'Files a claim on an order (its customer, or an agent for them).',
  })
  fileClaim(@Arg('input', () => FileClaimInput) input: FileClaimInput, @Ctx() ctx: RequestContext) {
    return ctx.services.claimFiling.fileClaim(ctx, { ...input, orderId: idOf(input.orderId, 'Order') });
  }

  @Authorized(...rolesOf(ClaimAction.ADD_EVIDENCE))
  @Mutation(() => AddClaimEvidencePayload, { description: 'Adds evidence to an open claim.' })
  addClaimEvidence(
    @Arg('input', () => AddClaimEvidenceInput) input: AddClaimEvidenceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.addEvidence(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @FieldResolver(() => String, { description: 'The readable claim number, e.g. CLM-2026-000123.' })
  number(@Root() claim: Claim): string {
    return claimNumberOf(claim);
  }

  @FieldResolver(() => [ClaimKind])
  kinds(@Root() claim: Claim): ClaimKind[] {
    return kindsOf(claim);
  }

  @FieldResolver(() => Money)
  amountClaimed(@Root() claim: Claim): Money {
    return Money.of(claim.claimedAmountMinor, claim.currency);
  }

  @FieldResolver(() => Order)
  order(@Root() claim: Claim, @Ctx() ctx: RequestContext) {
    return ctx.loaders.order.load(claim.order.id);
  }

  @FieldResolver(() => Product)
  product(@Root() claim: Claim, @Ctx() ctx: RequestContext) {
    return ctx.loaders.product.load(claim.product.id);
  }

  @FieldResolver(() => Seller)
  seller(@Root() claim: Claim, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(claim.seller.id);
  }

  @FieldResolver(() => Customer)
  customer(@Root() claim: Claim, @Ctx() ctx: RequestContext) {
    return ctx.loaders.customer.load(claim.customer.id);
  }

  @FieldResolver(() => [ClaimEvidence], { complexity: claimListComplexity })
  evidence(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ClaimEvidence[]> {
    return ctx.services.claimAccess.evidenceFor(ctx, claim);
  }

  @FieldResolver(() => [ClaimEvent], {
    complexity: claimListComplexity,
    description:
      'The steps the viewer may see, oldest first: a seller or insurer sees them from the release on, a fraud expert those from its pick to its finding.',
  })
  timeline(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ClaimEvent[]> {
    return ctx.services.claimAccess.timelineFor(ctx, claim);
  }

  @FieldResolver(() => NextStep)
  async nextStep(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<NextStep> {
    return ctx.services.claimAccess.nextStepFor(ctx, claim, ctx.services.config.workflow.appealWindowDays);
  }

  @FieldResolver(() => InsuranceProvider, {
    nullable: true,
    description:
      "The seller's insurer on the incident day, once routed; for the customer only when that insurer pays it.",
  })
  insurer(@Root() claim: Claim, @Ctx() ctx: RequestContext) {
    return ctx.services.claimAccess.insurerFor(ctx, claim);
  }

  @FieldResolver(() => ClaimRoute, {
    nullable: true,
    description: 'How the claim was routed after screening.',
  })
  route(@Root() claim: Claim): ClaimRoute | null {
    return claim.route ?? null;
  }

  @FieldResolver(() => Payout, { nullable: true, description: 'The payment to the customer, once decided.' })
  async payout(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<Payout | null> {
    return (await ctx.loaders.claimPayouts.load(claim.id))[0] ?? null;
  }

  @FieldResolver(() => Recovery, {
    nullable: true,
    description:
      'What the marketplace seeks back, if anything: for the seller side and the marketplace, null for the customer.',
  })
  recovery(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<Recovery | null> {
    return ctx.services.claimAccess.recoveryFor(ctx, claim);
  }

  @FieldResolver(() => [ProductDefence], { complexity: claimListComplexity })
  defences(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ProductDefence[]> {
    return ctx.loaders.claimDefences.load(claim.id);
  }

  @FieldResolver(() => [ClaimDecision], {
    complexity: claimListComplexity,
    description:
      'Every decision the viewer may see, who took it and why (the seller side never sees screening decisions).',
  })
  decisions(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ClaimDecision[]> {
    return ctx.services.claimAccess.decisionsFor(ctx, claim);
  }

  @FieldResolver(() => [AvailableAction], {
    complexity: claimListComplexity,
    description: "What the viewer's role could do now, and why not.",
  })
  availableActions(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<AvailableAction[]> {
    return ctx.services.claimWorkflow.availableActions(ctx, claim);
  }

  @FieldResolver(() => ClaimScreening, {
    nullable: true,
    description: "The automated screening: for agents and the claim's fraud expert; null for everyone else.",
  })
  screening(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ClaimScreening | null> {
    return ctx.services.claimAccess.screeningFor(ctx, claim);
  }

  @FieldResolver(() => FraudReview, {
    nullable: true,
    description: "The referral to an independent expert, if any: for agents and the claim's fraud expert.",
  })
  fraudReview(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<FraudReview | null> {
    return ctx.services.claimAccess.fraudReviewFor(ctx, claim);
  }

  @FieldResolver(() => ClaimInjuryDetails, {
    nullable: true,
    description:
      'Only for the claimant, agents, the assigned fraud expert and the paying insurer; null otherwise.',
  })
  injuryDetails(@Root() claim: Claim, @Ctx() ctx: RequestContext): Promise<ClaimInjuryDetails | null> {
    return ctx.services.claimAccess.injuryDetailsFor(ctx, claim);
  }
}
