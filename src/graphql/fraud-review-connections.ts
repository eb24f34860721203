import { FraudReview } from '../entities/fraud-review.entity';
import { ConnectionType } from './connection.type';

export const FraudReviewConnection = ConnectionType(FraudReview, 'FraudReview', 'fraud reviews');
export type FraudReviewConnection = InstanceType<typeof FraudReviewConnection>;
