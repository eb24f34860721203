import { registerEnumType } from 'type-graphql';
import { Role } from '../auth/role';
import { ActorRole, ClaimEventType } from '../entities/claim-event-type';
import { ClaimKind } from '../entities/claim-kind';
import { ClaimStatus } from '../entities/claim-status';
import { EvidenceKind } from '../entities/evidence-kind';
import { ClaimDecisionKind } from '../entities/claim-decision.entity';
import { ClaimRoute } from '../entities/claim-route';
import { PolicyVerificationStatus } from '../entities/insurance-policy.entity';
import { PayerParty } from '../entities/money-party';
import { PayoutStatus } from '../entities/payout.entity';
import { DefenceStatus } from '../entities/product-defence.entity';
import { RecoveryStatus } from '../entities/recovery.entity';
import { FraudFinding, FraudReviewStatus } from '../entities/fraud-review.entity';
import { ReviewPriority, ScreeningOutcome } from '../entities/screening-outcome';
import { ScreeningSignalCategory, ScreeningSignalCode } from '../entities/screening-signal';
import { FraudReviewAssignment } from '../services/screening/fraud-review.service';
import { FinancialRating } from '../entities/financial-rating';
import { InsurancePolicyEventType } from '../entities/insurance-policy-event.entity';
import { PolicySource } from '../entities/insurance-policy.entity';
import { InsuranceProviderStatus } from '../entities/insurance-provider.entity';
import { QuoteRequestStatus } from '../entities/insurance-quote-request.entity';
import { QuoteStatus } from '../entities/insurance-quote.entity';
import { InsuranceRequirement } from '../entities/requirement-check';
import { SensitiveDataKind } from '../entities/sensitive-data-access.entity';
import { NotificationCategory } from '../entities/notification-category';
import { EmailStatus } from '../entities/notification.entity';
import { WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { WebhookEndpointStatus } from '../entities/webhook-endpoint.entity';
import { PolicyStatus } from '../services/insurance/insurance-policy.service';
import { QuoteSortField } from '../services/insurance/quote-ordering';
import { ClaimAction } from '../services/claims/claim-actions';
import { ClaimSortField } from '../services/claims/claim-query.service';
import { ActionBlockedReason } from '../services/claims/action-blocked-reason';
import { DefenceDecision, ReviewDecision, SellerResponse } from '../services/claims/claim-workflow.service';
import { ClaimParty } from '../services/claims/next-step';

registerEnumType(Role, { name: 'Role', description: 'The kind of principal a token names.' });
registerEnumType(ClaimStatus, { name: 'ClaimStatus' });
registerEnumType(ClaimKind, { name: 'ClaimKind' });
registerEnumType(ClaimEventType, { name: 'ClaimEventType' });
registerEnumType(ActorRole, {
  name: 'ActorRole',
  description: 'Who acted: a role, or SYSTEM for automatic steps.',
});
registerEnumType(EvidenceKind, { name: 'EvidenceKind' });
registerEnumType(ClaimParty, { name: 'ClaimParty', description: 'A party whose move it can be.' });
registerEnumType(ClaimSortField, { name: 'ClaimSortField' });
registerEnumType(ClaimRoute, { name: 'ClaimRoute' });
registerEnumType(PolicyVerificationStatus, { name: 'PolicyVerificationStatus' });
registerEnumType(PolicyStatus, {
  name: 'PolicyStatus',
  description: "A policy's cover as of now, from its dates and any cancellation.",
});
registerEnumType(PolicySource, { name: 'PolicySource' });
registerEnumType(InsurancePolicyEventType, { name: 'InsurancePolicyEventType' });
registerEnumType(FinancialRating, {
  name: 'FinancialRating',
  description: 'AM Best scale, strongest first: A_PLUS_PLUS is A++, A_MINUS is A-.',
});
registerEnumType(InsuranceProviderStatus, { name: 'InsuranceProviderStatus' });
registerEnumType(QuoteRequestStatus, { name: 'QuoteRequestStatus' });
registerEnumType(QuoteStatus, { name: 'QuoteStatus' });
registerEnumType(QuoteSortField, { name: 'QuoteSortField' });
registerEnumType(InsuranceRequirement, { name: 'InsuranceRequirement' });
registerEnumType(SensitiveDataKind, { name: 'SensitiveDataKind' });
registerEnumType(NotificationCategory, {
  name: 'NotificationCategory',
  description: 'What a notification tells of; a principal chooses which categories it receives by email.',
});
registerEnumType(EmailStatus, { name: 'EmailStatus', description: "Where a notification's email stands." });
registerEnumType(ClaimDecisionKind, { name: 'ClaimDecisionKind' });
registerEnumType(PayerParty, { name: 'PayerParty' });
registerEnumType(PayoutStatus, { name: 'PayoutStatus' });
registerEnumType(RecoveryStatus, { name: 'RecoveryStatus' });
registerEnumType(DefenceStatus, { name: 'DefenceStatus' });
registerEnumType(ClaimAction, { name: 'ClaimAction' });
registerEnumType(ActionBlockedReason, {
  name: 'ActionBlockedReason',
  description: 'Why an action cannot be taken now.',
});
registerEnumType(SellerResponse, { name: 'SellerResponse' });
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });
registerEnumType(DefenceDecision, { name: 'DefenceDecision' });
registerEnumType(ScreeningOutcome, {
  name: 'ScreeningOutcome',
  description: 'Where screening sent a claim.',
});
registerEnumType(ReviewPriority, { name: 'ReviewPriority' });
registerEnumType(ScreeningSignalCode, { name: 'ScreeningSignalCode' });
registerEnumType(ScreeningSignalCategory, {
  name: 'ScreeningSignalCategory',
  description: 'Only CUSTOMER_RISK signals add to the risk score.',
});
registerEnumType(FraudReviewStatus, { name: 'FraudReviewStatus' });
registerEnumType(FraudReviewAssignment, { name: 'FraudReviewAssignment' });
registerEnumType(FraudFinding, {
  name: 'FraudFinding',
  description: "An independent expert's finding on a referred claim.",
});

registerEnumType(WebhookEndpointStatus, {
  name: 'WebhookEndpointStatus',
  description: 'Whether an endpoint receives deliveries.',
});
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands: waiting or retrying, delivered, or given up.',
});

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });
