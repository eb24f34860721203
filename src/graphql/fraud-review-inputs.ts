import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { FraudFinding, FraudReview } from '../entities/fraud-review.entity';
import { ClaimPayload } from './claim-payload';
import { UserError } from './user-error.type';

@InputType()
export class PickFraudReviewInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The review to take; omitted, the first of the queue (highest risk, then oldest).',
  })
  reviewId?: string | null;
}

@ObjectType()
export class PickFraudReviewPayload {
  @Field(() => FraudReview, { nullable: true, description: 'The review, now assigned to the caller.' })
  review!: FraudReview | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class SubmitFraudReviewInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => FraudFinding, {
    description: 'VALID sends the claim on to the seller or a concession; any other finding denies it.',
  })
  finding!: FraudFinding;

  @Field(() => String, {
    description:
      "The expert's reasoning, up to 5,000 characters. Internal: the customer is given a standard reason for the finding.",
  })
  rationale!: string;

  @Field(() => String, { nullable: true, description: 'A retry with the same key returns the first result.' })
  idempotencyKey?: string | null;
}

export const SubmitFraudReviewPayload = ClaimPayload('SubmitFraudReviewPayload');
