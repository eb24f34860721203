import { requireViewer } from '../auth/require-viewer';
import { ClaimEvent } from '../entities/claim-event.entity';
import { ClaimDecision } from '../entities/claim-decision.entity';
import { ClaimEvidence } from '../entities/claim-evidence.entity';
import { FraudReview } from '../entities/fraud-review.entity';
import { Payout } from '../entities/payout.entity';
import { canSeeFraudReview } from './screening/fraud-review.service';
import { ProductDefence } from '../entities/product-defence.entity';
import { Recovery } from '../entities/recovery.entity';
import { Role } from '../auth/role';
import type { DecodedGlobalId } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';
import type { ClaimAccessService } from './claims/claim-access.service';
import type { ClaimQueryService } from './claims/claim-query.service';
import type { ReferenceAccessService } from './reference/reference-access.service';

const CLAIM_RECORDS = { Payout, ProductDefence } as const;

/** Resolves a global id to the object, or null when it is unknown or the caller may not see it. */
export class NodeService {
  constructor(
    private readonly claims: ClaimQueryService,
    private readonly claimAccess: ClaimAccessService,
    private readonly referenceAccess: ReferenceAccessService,
  ) {}

  /** `decoded`: the global id as the API decoded it; null when it was none of ours. */
  async find(ctx: RequestContext, decoded: DecodedGlobalId | null) {
    requireViewer(ctx.auth);
    if (!decoded) return null;
    switch (decoded.type) {
      case 'Claim':
        return this.claims.findVisible(ctx, decoded.id);
      case 'ClaimEvent': {
        const event = await ctx.em.findOne(ClaimEvent, { id: String(decoded.id) });
        const claim = event && (await this.claims.findVisible(ctx, event.claim.id));
        return event && claim && (await this.claimAccess.canSeeEvent(ctx, claim, event)) ? event : null;
      }
      case 'ClaimDecision': {
        const decision = await ctx.em.findOne(ClaimDecision, decoded.id);
        const claim = decision && (await this.claims.findVisible(ctx, decision.claim.id));
        if (!decision || !claim) return null;
        return (await this.claimAccess.decisionsFor(ctx, claim)).includes(decision) ? decision : null;
      }
      case 'Payout':
      case 'ProductDefence': {
        // Records of a claim are visible exactly when their claim is.
        const record = await ctx.em.findOne(CLAIM_RECORDS[decoded.type], decoded.id);
        return record && (await this.claims.findVisible(ctx, record.claim.id)) ? record : null;
      }
      case 'Recovery': {
        const recovery = await ctx.em.findOne(Recovery, decoded.id);
        const claim = recovery && (await this.claims.findVisible(ctx, recovery.claim.id));
        return claim && (await this.claimAccess.recoveryFor(ctx, claim)) === recovery ? recovery : null;
      }
      case 'ClaimEvidence': {
        const evidence = await ctx.em.findOne(ClaimEvidence, decoded.id);
        const claim = evidence && (await this.claims.findVisible(ctx, evidence.claim.id));
        if (!evidence || !claim) return null;
        return (await this.claimAccess.evidenceFor(ctx, claim)).includes(evidence) ? evidence : null;
      }
      case 'Order': {
        const order = await ctx.loaders.order.load(decoded.id);
        return order && (await this.referenceAccess.canSeeOrder(ctx, order)) ? order : null;
      }
      case 'Customer': {
        const customer = await ctx.loaders.customer.load(decoded.id);
        return customer && this.referenceAccess.canSeeContactDetails(ctx, customer, Role.CUSTOMER)
          ? customer
          : null;
      }
      case 'FraudReview': {
        const review = await ctx.em.findOne(FraudReview, decoded.id);
        return review && canSeeFraudReview(requireViewer(ctx.auth), review) ? review : null;
      }
      case 'InsurancePolicy':
        return ctx.services.insurancePolicies.find(ctx, decoded.id);
      case 'InsuranceQuote':
        return ctx.services.insuranceQuotes.findQuote(ctx, decoded.id);
      case 'InsuranceQuoteRequest':
        return ctx.services.insuranceQuotes.findRequest(ctx, decoded.id);
      case 'InsuranceProvider':
        return ctx.loaders.insurer.load(decoded.id);
      case 'Notification':
        return ctx.services.notifications.find(ctx, decoded.id);
      case 'Seller':
        return ctx.loaders.seller.load(decoded.id);
      case 'Product':
        return ctx.loaders.product.load(decoded.id);
      case 'WebhookEndpoint':
        return ctx.services.webhookEndpoints.find(ctx, decoded.id);
      case 'WebhookDelivery':
        return ctx.services.webhookEndpoints.findDelivery(ctx, decoded.id);
      default:
        return null;
    }
  }
}
