import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { ClaimScreening } from '../entities/claim-screening.entity';
import { ClaimKind, kindsOf } from '../entities/claim-kind';
import { Claim } from '../entities/claim.entity';
import { FraudReview } from '../entities/fraud-review.entity';
import { connectionComplexity } from '../graphql/complexity';
import { FraudReviewConnection } from '../graphql/fraud-review-connections';
import { PickFraudReviewInput, SubmitFraudReviewInput } from '../graphql/fraud-review-inputs';
import { Money } from '../graphql/money.type';
import { PickFraudReviewPayload, SubmitFraudReviewPayload } from '../graphql/fraud-review-payloads';
import { idOf, optionalIdOf } from '../graphql/global-id';
import { ClaimAction, rolesOf } from '../services/claims/claim-actions';
import type { RequestContext } from '../server/request-context';
import { maySeeScreening } from '../services/claims/claim-visibility';
import { FraudReviewAssignment } from '../services/screening/fraud-review.service';

@Resolver(() => FraudReview)
export class FraudReviewResolver {
  @Authorized(Role.FRAUD_EXPERT, Role.AGENT)
  @Query(() => FraudReviewConnection, {
    complexity: connectionComplexity,
    description: 'Referred claims waiting for an independent expert: highest risk, then oldest first.',
  })
  async fraudReviewQueue(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('assignment', () => FraudReviewAssignment, { nullable: true, description: 'Default: UNASSIGNED.' })
    assignment: FraudReviewAssignment | null,
    @Ctx() ctx: RequestContext,
  ): Promise<FraudReviewConnection> {
    return FraudReviewConnection.of(await ctx.services.fraudReviews.queue(ctx, { first, after, assignment }));
  }

  @Authorized(Role.FRAUD_EXPERT)
  @Mutation(() => PickFraudReviewPayload, {
    description: 'Takes a referred claim for review; no other expert can take it afterwards.',
  })
  pickFraudReview(
    @Arg('input', () => PickFraudReviewInput) input: PickFraudReviewInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.fraudReviews.pick(ctx, { reviewId: optionalIdOf(input.reviewId, 'FraudReview') });
  }

  @Authorized(...rolesOf(ClaimAction.SUBMIT_FRAUD_FINDING))
  @Mutation(() => SubmitFraudReviewPayload, {
    description: "The reviewing expert's finding on the claim it picked.",
  })
  submitFraudReview(
    @Arg('input', () => SubmitFraudReviewInput) input: SubmitFraudReviewInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.fraudReviews.submit(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @FieldResolver(() => Boolean, { description: 'Whether the caller is the expert reviewing it.' })
  assignedToMe(@Root() review: FraudReview, @Ctx() ctx: RequestContext): boolean {
    return ctx.auth.viewer?.role === Role.FRAUD_EXPERT && review.expertSubject === ctx.auth.viewer.subject;
  }

  @FieldResolver(() => Claim, {
    nullable: true,
    description: 'The claim: for agents and, once picked, its expert; null otherwise.',
  })
  async claim(@Root() review: FraudReview, @Ctx() ctx: RequestContext): Promise<Claim | null> {
    return maySeeScreening(ctx.auth.viewer, { reviewerRef: review.expertSubject ?? null })
      ? ctx.loaders.claim.load(review.claim.id)
      : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The expert's reasoning: for agents and the expert; never shown to the customer.",
  })
  rationale(@Root() review: FraudReview, @Ctx() ctx: RequestContext): string | null {
    return maySeeScreening(ctx.auth.viewer, { reviewerRef: review.expertSubject ?? null })
      ? (review.rationale ?? null)
      : null;
  }

  @FieldResolver(() => ClaimScreening, {
    nullable: true,
    description: 'The screening that referred the claim: its risk signals.',
  })
  async screening(@Root() review: FraudReview, @Ctx() ctx: RequestContext): Promise<ClaimScreening | null> {
    return (await ctx.loaders.claimScreenings.load(review.claim.id))[0] ?? null;
  }

  @FieldResolver(() => Money, { description: 'What the claim asks for.' })
  async amountClaimed(@Root() review: FraudReview, @Ctx() ctx: RequestContext): Promise<Money> {
    const claim = (await ctx.loaders.claim.load(review.claim.id))!;
    return Money.of(claim.claimedAmountMinor, claim.currency);
  }

  @FieldResolver(() => [ClaimKind])
  async kinds(@Root() review: FraudReview, @Ctx() ctx: RequestContext): Promise<ClaimKind[]> {
    return kindsOf((await ctx.loaders.claim.load(review.claim.id))!);
  }
}
