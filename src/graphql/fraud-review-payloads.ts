import { Claim } from '../entities/claim.entity';
import { FraudReview } from '../entities/fraud-review.entity';
import { PayloadType } from './payload.type';

export const PickFraudReviewPayload = PayloadType(
  'PickFraudReviewPayload',
  'review',
  () => FraudReview,
  'The review, now assigned to the caller.',
);
export const SubmitFraudReviewPayload = PayloadType('SubmitFraudReviewPayload', 'claim', () => Claim);
