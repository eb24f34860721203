import { FraudReviewResolver } from './fraud-review.resolver';
import { ClaimEventSubscriptionResolver } from './claim-event-subscription.resolver';
import { ClaimWorkflowResolver } from './claim-workflow.resolver';
import { PayoutResolver } from './payout.resolver';
import { RecoveryResolver } from './recovery.resolver';
import { ClaimEventResolver } from './claim-event.resolver';
import { ClaimResolver } from './claim.resolver';
import { CustomerResolver } from './customer.resolver';
import { InsurancePolicyResolver } from './insurance-policy.resolver';
import { InsuranceProviderResolver } from './insurance-provider.resolver';
import { InsuranceQuoteRequestResolver, InsuranceQuoteResolver } from './insurance-quote.resolver';
import { SellerInsuranceProfileResolver } from './seller-insurance-profile.resolver';
import { NodeResolver } from './node.resolver';
import { NotificationResolver } from './notification.resolver';
import { OrderResolver } from './order.resolver';
import { ProductResolver } from './product.resolver';
import { SellerResolver } from './seller.resolver';
import { SensitiveDataAccessResolver } from './sensitive-data-access.resolver';
import { ViewerResolver } from './viewer.resolver';
import { WebhookResolver } from './webhook.resolver';

export const RESOLVERS = [
  ViewerResolver,
  NodeResolver,
  ClaimResolver,
  ClaimEventResolver,
  CustomerResolver,
  SellerResolver,
  ProductResolver,
  OrderResolver,
  ClaimWorkflowResolver,
  PayoutResolver,
  RecoveryResolver,
  FraudReviewResolver,
  InsurancePolicyResolver,
  InsuranceProviderResolver,
  SellerInsuranceProfileResolver,
  InsuranceQuoteRequestResolver,
  InsuranceQuoteResolver,
  SensitiveDataAccessResolver,
  ClaimEventSubscriptionResolver,
  NotificationResolver,
  WebhookResolver,
] as const;
