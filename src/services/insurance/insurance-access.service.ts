import type { FilterQuery } from '@mikro-orm/core';
import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import type { InsurancePolicy } from '../../entities/insurance-policy.entity';
import { InsuranceQuote } from '../../entities/insurance-quote.entity';
import { InsuranceQuoteRequest } from '../../entities/insurance-quote-request.entity';
import { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';

/**
 * Who sees what of the insurance marketplace:
 * - a seller: its own profile, requests, quotes, policies and compliance;
 * - an insurer: requests addressed to it with its own quotes only (never a competitor's), and the
 *   policies it underwrites;
 * - an agent: everything.
 * Anything else reads as null, like a claim one may not see.
 */
export class InsuranceAccessService {
  /** The seller the caller acts for: its own, or (agents) the one named. Null when not allowed. */
  async sellerFor(ctx: RequestContext, sellerId: number | null | undefined): Promise<Seller | null> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role === Role.SELLER) {
      const own = await ctx.em.findOne(Seller, { externalRef: viewer.subject });
      if (!own) return null;
      return sellerId == null || sellerId === own.id ? own : null;
    }
    if (viewer.role === Role.AGENT && sellerId != null) {
      return ctx.em.findOne(Seller, sellerId);
    }
    return null;
  }

  policiesFilter(viewer: Viewer): FilterQuery<InsurancePolicy> | null {
    switch (viewer.role) {
      case Role.AGENT:
        return {};
      case Role.SELLER:
        return { seller: { externalRef: viewer.subject } };
      case Role.INSURER:
        return { provider: { externalRef: viewer.subject } };
      default:
        return null;
    }
  }

  async canSeePolicy(ctx: RequestContext, policy: InsurancePolicy): Promise<boolean> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role === Role.AGENT) return true;
    if (viewer.role === Role.SELLER)
      return (await ctx.loaders.seller.load(policy.seller.id))?.externalRef === viewer.subject;
    if (viewer.role === Role.INSURER)
      return (await ctx.loaders.insurer.load(policy.provider.id))?.externalRef === viewer.subject;
    return false;
  }

  async canSeeRequest(ctx: RequestContext, request: InsuranceQuoteRequest): Promise<boolean> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role === Role.AGENT) return true;
    if (viewer.role === Role.SELLER)
      return (await ctx.loaders.seller.load(request.seller.id))?.externalRef === viewer.subject;
    if (viewer.role === Role.INSURER)
      return (await ctx.em.count(InsuranceQuote, this.quotesOfRequestFilter(viewer, request))) > 0;
    return false;
  }

  /** The quotes of a visible request the viewer may see: an insurer only its own. */
  quotesOfRequestFilter(viewer: Viewer, request: InsuranceQuoteRequest): FilterQuery<InsuranceQuote> {
    return viewer.role === Role.INSURER
      ? { request: request.id, provider: { externalRef: viewer.subject } }
      : { request: request.id };
  }

  async canSeeQuote(ctx: RequestContext, quote: InsuranceQuote): Promise<boolean> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role === Role.INSURER)
      return (await ctx.loaders.insurer.load(quote.provider.id))?.externalRef === viewer.subject;
    const request = await ctx.em.findOne(InsuranceQuoteRequest, quote.request.id);
    return request !== null && this.canSeeRequest(ctx, request);
  }
}
