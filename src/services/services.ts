import type { Config } from '../config';
import { ClaimAccessService } from './claims/claim-access.service';
import { ClaimFilingService } from './claims/claim-filing.service';
import type { ClaimEventFeed } from './events/claim-event-feed';
import type { NotificationFeed } from './notifications/notification-feed';
import { NotificationService } from './notifications/notification.service';
import { ClaimCommandRunner } from './claims/claim-command';
import { ClaimEventSubscriptionService } from './events/claim-event-subscription.service';
import { ClaimQueryService } from './claims/claim-query.service';
import { ClaimRoutingService } from './claims/claim-routing.service';
import { ClaimWorkflowService } from './claims/claim-workflow.service';
import { InsuranceAccessService } from './insurance/insurance-access.service';
import { InsurancePolicyService } from './insurance/insurance-policy.service';
import { InsuranceProviderService } from './insurance/insurance-provider.service';
import { InsuranceQuoteService } from './insurance/insurance-quote.service';
import { SellerInsuranceProfileService } from './insurance/seller-insurance-profile.service';
import { LedgerService } from './money/ledger.service';
import { PayoutService } from './money/payout.service';
import { RecoveryService } from './money/recovery.service';
import { FraudReviewService } from './screening/fraud-review.service';
import { ScreeningService } from './screening/screening.service';
import { SellerComplianceService } from './insurance/seller-compliance.service';
import type { Clock } from './common/clock';
import { IdempotencyService } from './common/idempotency.service';
import { MutationRunner } from './common/mutation-runner';
import { NodeService } from './node.service';
import { SensitiveDataAuditService } from './claims/sensitive-data-audit.service';
import { ReferenceAccessService } from './reference/reference-access.service';
import { ReferenceDataService } from './reference/reference-data.service';
import { WebhookEndpointService } from './webhooks/webhook-endpoint.service';

/** The stateless services, built once per server; each method takes the request context first. */
export class Services {
  readonly claimAccess: ClaimAccessService;
  readonly sensitiveDataAudit: SensitiveDataAuditService;
  readonly claimQueries: ClaimQueryService;
  readonly claimFiling: ClaimFilingService;
  readonly referenceData: ReferenceDataService;
  readonly idempotency: IdempotencyService;
  readonly mutations: MutationRunner;
  readonly referenceAccess: ReferenceAccessService;
  readonly nodes: NodeService;
  readonly claimRouting: ClaimRoutingService;
  readonly claimWorkflow: ClaimWorkflowService;
  readonly fraudReviews: FraudReviewService;
  readonly insuranceAccess = new InsuranceAccessService();
  readonly insuranceProviders: InsuranceProviderService;
  readonly sellerProfiles: SellerInsuranceProfileService;
  readonly insurancePolicies: InsurancePolicyService;
  readonly insuranceQuotes: InsuranceQuoteService;
  readonly compliance = new SellerComplianceService();

  readonly claimEvents: ClaimEventSubscriptionService;
  readonly notifications: NotificationService;
  readonly webhookEndpoints: WebhookEndpointService;

  constructor(
    readonly config: Config,
    readonly clock: Clock,
    feed: ClaimEventFeed,
    /** Live notifications, for `notificationReceived`. */
    readonly notificationFeed: NotificationFeed,
  ) {
    const currencies = config.claims.supportedCurrencies;
    this.idempotency = new IdempotencyService();
    this.mutations = new MutationRunner(clock, this.idempotency);
    this.insuranceProviders = new InsuranceProviderService(this.mutations);
    this.notifications = new NotificationService(
      clock,
      Boolean(config.notifications.smtpUrl),
      this.mutations,
    );
    this.sensitiveDataAudit = new SensitiveDataAuditService(clock);
    this.claimAccess = new ClaimAccessService(this.sensitiveDataAudit);
    this.claimQueries = new ClaimQueryService(this.claimAccess);
    this.claimFiling = new ClaimFilingService(clock, currencies, this.idempotency, this.mutations, {
      maxBatch: config.claims.filingBatchMax,
      maxInFlight: config.claims.filingBatchesInFlight,
    });
    this.referenceData = new ReferenceDataService(clock, currencies, this.mutations);
    this.referenceAccess = new ReferenceAccessService();
    this.webhookEndpoints = new WebhookEndpointService(clock, config.webhooks, this.mutations);
    this.claimEvents = new ClaimEventSubscriptionService(
      feed,
      this.claimAccess,
      config.events.subscriberBufferLimit,
    );
    this.nodes = new NodeService(this.claimQueries, this.claimAccess, this.referenceAccess);
    const ledger = new LedgerService();
    const payouts = new PayoutService(ledger);
    const recoveries = new RecoveryService(ledger);
    this.claimRouting = new ClaimRoutingService(
      config.workflow,
      new ScreeningService(config.screening.policy),
      this.compliance,
      payouts,
      recoveries,
    );
    const commands = new ClaimCommandRunner(clock, this.claimQueries, this.mutations, (now) =>
      this.claimRouting.guardContext(now),
    );
    this.claimWorkflow = new ClaimWorkflowService(commands, this.claimRouting, payouts, recoveries);
    this.fraudReviews = new FraudReviewService(clock, commands, this.claimRouting);
    const { requirements, quoteResponseDays, expiryReminderDays } = config.insurance;
    this.sellerProfiles = new SellerInsuranceProfileService(clock, currencies, this.insuranceAccess);
    this.insurancePolicies = new InsurancePolicyService(
      clock,
      currencies,
      requirements,
      expiryReminderDays,
      this.insuranceAccess,
      this.compliance,
      this.mutations,
      this.notifications,
    );
    this.insuranceQuotes = new InsuranceQuoteService(
      clock,
      currencies,
      requirements,
      quoteResponseDays,
      this.mutations,
      this.notifications,
      this.insuranceAccess,
      this.sellerProfiles,
      this.insurancePolicies,
    );
  }
}
