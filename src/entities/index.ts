import { ClaimDecision } from './claim-decision.entity';
import { ClaimDescriptionBand } from './claim-description-band.entity';
import { ClaimScreening } from './claim-screening.entity';
import { FraudReview } from './fraud-review.entity';
import { ClaimEvent } from './claim-event.entity';
import { ClaimEvidence } from './claim-evidence.entity';
import { ClaimInjuryDetails } from './claim-injury-details.entity';
import { Claim } from './claim.entity';
import { Customer } from './customer.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { InsurancePolicy } from './insurance-policy.entity';
import { InsurancePolicyEvent } from './insurance-policy-event.entity';
import { InsuranceQuote } from './insurance-quote.entity';
import { InsuranceQuoteRequest } from './insurance-quote-request.entity';
import { SellerInsuranceProfile } from './seller-insurance-profile.entity';
import { SensitiveDataAccess } from './sensitive-data-access.entity';
import { InsuranceProvider } from './insurance-provider.entity';
import { LedgerAccount } from './ledger-account.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { LedgerTransfer } from './ledger-transfer.entity';
import { Order } from './order.entity';
import { Payout } from './payout.entity';
import { ProductDefence } from './product-defence.entity';
import { Recovery } from './recovery.entity';
import { ScheduledJob } from './scheduled-job.entity';
import { Product } from './product.entity';
import { Seller } from './seller.entity';
import { Notification } from './notification.entity';
import { NotificationPreference } from './notification-preference.entity';
import { OutboxCursor } from './outbox-cursor.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** Every persisted entity, listed explicitly so that discovery needs no file globbing. */
export const ENTITIES = [
  Customer,
  Seller,
  Product,
  Order,
  Claim,
  ClaimEvidence,
  ClaimInjuryDetails,
  ClaimEvent,
  IdempotencyRecord,
  InsuranceProvider,
  InsurancePolicy,
  ClaimDecision,
  Payout,
  Recovery,
  ProductDefence,
  LedgerAccount,
  LedgerTransfer,
  LedgerEntry,
  ScheduledJob,
  ClaimScreening,
  ClaimDescriptionBand,
  FraudReview,
  SellerInsuranceProfile,
  InsuranceQuoteRequest,
  InsuranceQuote,
  InsurancePolicyEvent,
  SensitiveDataAccess,
  Notification,
  NotificationPreference,
  OutboxCursor,
  WebhookEndpoint,
  WebhookDelivery,
];
