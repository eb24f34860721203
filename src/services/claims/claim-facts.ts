import type { EntityManager } from '@mikro-orm/core';
import type { Claim } from '../../entities/claim.entity';
import { Customer } from '../../entities/customer.entity';
import { FraudReview } from '../../entities/fraud-review.entity';
import { InsuranceProvider } from '../../entities/insurance-provider.entity';
import { PayerParty } from '../../entities/money-party';
import { Payout } from '../../entities/payout.entity';
import { DefenceStatus, ProductDefence } from '../../entities/product-defence.entity';
import { Recovery, RecoveryStatus } from '../../entities/recovery.entity';
import { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimAudience, EventWindows } from './claim-visibility';

/** What the claim action rules read of a claim and its records. */
export interface ClaimFacts {
  claim: Claim;
  /** The claim's parties, as the visibility rule reads them: who may act as which. */
  audience: ClaimAudience;
  /** The marketplace paid the customer (a concession or a step-in). */
  paidByMarketplace: boolean;
  defenceAwaitingDecision: boolean;
  openRecovery: boolean;
}

/** What decides which of the claim's events a viewer sees: its release, and its review (if any). */
export function eventWindowsOf(claim: Claim, review: FraudReview | undefined): EventWindows {
  return {
    releasedFromSequence: claim.releasedFromSequence ?? null,
    reviewerRef: review?.expertSubject ?? null,
    reviewFromSequence: review?.assignedFromSequence ?? null,
    reviewUntilSequence: review?.assignedUntilSequence ?? null,
  };
}

interface Parties {
  customer: Pick<Customer, 'externalRef'> | null;
  seller: Pick<Seller, 'externalRef'> | null;
  insurer: Pick<InsuranceProvider, 'externalRef'> | null;
  reviews: readonly FraudReview[];
}

function audienceFrom(claim: Claim, parties: Parties): ClaimAudience {
  return {
    customerRef: parties.customer!.externalRef,
    sellerRef: parties.seller!.externalRef,
    insurerRef: parties.insurer?.externalRef ?? null,
    ...eventWindowsOf(claim, parties.reviews[0]),
  };
}

interface Records {
  payouts: readonly Pick<Payout, 'payer'>[];
  defences: readonly Pick<ProductDefence, 'status'>[];
  recoveries: readonly Pick<Recovery, 'status'>[];
}

function factsOf(claim: Claim, audience: ClaimAudience, records: Records): ClaimFacts {
  return {
    claim,
    audience,
    paidByMarketplace: records.payouts.some((payout) => payout.payer === PayerParty.MARKETPLACE),
    defenceAwaitingDecision: records.defences.some((defence) => defence.status === DefenceStatus.SUBMITTED),
    openRecovery: records.recoveries.some((recovery) => recovery.status === RecoveryStatus.OPEN),
  };
}

/** The claim's audience through the request's loaders, batched across the claims of one response. */
export async function claimAudienceOf(ctx: RequestContext, claim: Claim): Promise<ClaimAudience> {
  const { loaders } = ctx;
  const [customer, seller, insurer, reviews] = await Promise.all([
    loaders.customer.load(claim.customer.id),
    loaders.seller.load(claim.seller.id),
    claim.insurer ? loaders.insurer.load(claim.insurer.id) : null,
    loaders.claimFraudReviews.load(claim.id),
  ]);
  return audienceFrom(claim, { customer, seller, insurer, reviews });
}

/** The facts through the request's loaders. */
export async function claimFactsOf(ctx: RequestContext, claim: Claim): Promise<ClaimFacts> {
  const { loaders } = ctx;
  const [audience, payouts, defences, recoveries] = await Promise.all([
    claimAudienceOf(ctx, claim),
    loaders.claimPayouts.load(claim.id),
    loaders.claimDefences.load(claim.id),
    loaders.claimRecoveries.load(claim.id),
  ]);
  return factsOf(claim, audience, { payouts, defences, recoveries });
}

/** The facts as a command's transaction reads them, after it took the claim. */
export async function claimFactsIn(em: EntityManager, claim: Claim): Promise<ClaimFacts> {
  // One after another: a transaction holds one connection, which runs one query at a time.
  const customer = await em.findOne(Customer, claim.customer.id);
  const seller = await em.findOne(Seller, claim.seller.id);
  const insurer = claim.insurer ? await em.findOne(InsuranceProvider, claim.insurer.id) : null;
  const reviews = await em.find(FraudReview, { claim });
  const audience = audienceFrom(claim, { customer, seller, insurer, reviews });
  const payouts = await em.find(Payout, { claim });
  const defences = await em.find(ProductDefence, { claim });
  const recoveries = await em.find(Recovery, { claim });
  return factsOf(claim, audience, { payouts, defences, recoveries });
}
