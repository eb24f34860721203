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

/** What the claim action rules read of a claim and its records. */
export interface ClaimFacts {
  claim: Claim;
  /** The external references of the claim's parties: who may act as which. */
  customerRef: string;
  sellerRef: string;
  /** The seller's insurer on the incident day, once the claim was routed. */
  insurerRef: string | null;
  /** The fraud expert who picked the claim's review, if any. */
  reviewerRef: string | null;
  /** The marketplace paid the customer (a concession or a step-in). */
  paidByMarketplace: boolean;
  defenceAwaitingDecision: boolean;
  openRecovery: boolean;
}

interface ClaimRecords {
  customer: Pick<Customer, 'externalRef'> | null;
  seller: Pick<Seller, 'externalRef'> | null;
  insurer: Pick<InsuranceProvider, 'externalRef'> | null;
  payouts: readonly Pick<Payout, 'payer'>[];
  defences: readonly Pick<ProductDefence, 'status'>[];
  recoveries: readonly Pick<Recovery, 'status'>[];
  reviews: readonly Pick<FraudReview, 'expertSubject'>[];
}

function factsOf(claim: Claim, records: ClaimRecords): ClaimFacts {
  return {
    claim,
    customerRef: records.customer!.externalRef,
    sellerRef: records.seller!.externalRef,
    insurerRef: records.insurer?.externalRef ?? null,
    reviewerRef: records.reviews[0]?.expertSubject ?? null,
    paidByMarketplace: records.payouts.some((payout) => payout.payer === PayerParty.MARKETPLACE),
    defenceAwaitingDecision: records.defences.some((defence) => defence.status === DefenceStatus.SUBMITTED),
    openRecovery: records.recoveries.some((recovery) => recovery.status === RecoveryStatus.OPEN),
  };
}

/** The facts through the request's loaders, batched across the claims of one response. */
export async function claimFactsOf(ctx: RequestContext, claim: Claim): Promise<ClaimFacts> {
  const { loaders } = ctx;
  const [customer, seller, insurer, payouts, defences, recoveries, reviews] = await Promise.all([
    loaders.customer.load(claim.customer.id),
    loaders.seller.load(claim.seller.id),
    claim.insurer ? loaders.insurer.load(claim.insurer.id) : null,
    loaders.claimPayouts.load(claim.id),
    loaders.claimDefences.load(claim.id),
    loaders.claimRecoveries.load(claim.id),
    loaders.claimFraudReviews.load(claim.id),
  ]);
  return factsOf(claim, { customer, seller, insurer, payouts, defences, recoveries, reviews });
}

/** The facts as a command's transaction reads them, after it took the claim. */
export async function claimFactsIn(em: EntityManager, claim: Claim): Promise<ClaimFacts> {
  // One after another: a transaction holds one connection, which runs one query at a time.
  const customer = await em.findOne(Customer, claim.customer.id);
  const seller = await em.findOne(Seller, claim.seller.id);
  const insurer = claim.insurer ? await em.findOne(InsuranceProvider, claim.insurer.id) : null;
  const payouts = await em.find(Payout, { claim });
  const defences = await em.find(ProductDefence, { claim });
  const recoveries = await em.find(Recovery, { claim });
  const reviews = await em.find(FraudReview, { claim });
  return factsOf(claim, { customer, seller, insurer, payouts, defences, recoveries, reviews });
}
