import { Field, ID, InputType } from 'type-graphql';
import { FraudFinding } from '../entities/fraud-review.entity';

@InputType()
export class PickFraudReviewInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The review to take; omitted, the first of the queue (highest risk, then oldest).',
  })
  reviewId?: string | null;
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
