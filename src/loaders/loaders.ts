import type { EntityManager } from '@mikro-orm/core';
import type DataLoader from 'dataloader';
import { ClaimDecision } from '../entities/claim-decision.entity';
import { ClaimScreening } from '../entities/claim-screening.entity';
import { Claim } from '../entities/claim.entity';
import { FraudReview } from '../entities/fraud-review.entity';
import { ClaimEvent } from '../entities/claim-event.entity';
import { InsurancePolicyEvent } from '../entities/insurance-policy-event.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { InsuranceQuoteRequest } from '../entities/insurance-quote-request.entity';
import { Payout } from '../entities/payout.entity';
import { ProductDefence } from '../entities/product-defence.entity';
import { Recovery } from '../entities/recovery.entity';
import { ClaimEvidence } from '../entities/claim-evidence.entity';
import { ClaimInjuryDetails } from '../entities/claim-injury-details.entity';
import { Customer } from '../entities/customer.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { Seller } from '../entities/seller.entity';
import { createEntityByIdLoader } from './entity-by-id.loader';
import { createRowsByParentLoader } from './rows-by-parent.loader';

/**
 * The per-request DataLoaders: every relation a field resolver follows goes through one. Each is
 * created on first use, so a request pays only for the relations it follows.
 */
export class Loaders {
  private readonly created = new Map<string, DataLoader<number, unknown>>();

  constructor(private readonly em: EntityManager) {}

  private lazy<V>(name: string, create: () => DataLoader<number, V>): DataLoader<number, V> {
    let loader = this.created.get(name);
    if (!loader) this.created.set(name, (loader = create()));
    return loader as DataLoader<number, V>;
  }

  get customer() {
    return this.lazy('customer', () => createEntityByIdLoader(this.em, Customer));
  }

  get seller() {
    return this.lazy('seller', () => createEntityByIdLoader(this.em, Seller));
  }

  get product() {
    return this.lazy('product', () => createEntityByIdLoader(this.em, Product));
  }

  get order() {
    return this.lazy('order', () => createEntityByIdLoader(this.em, Order));
  }

  get claimEvents() {
    return this.lazy('claimEvents', () =>
      createRowsByParentLoader(this.em, ClaimEvent, 'claim', { sequence: 'asc' }),
    );
  }

  get claimEvidence() {
    return this.lazy('claimEvidence', () =>
      createRowsByParentLoader(this.em, ClaimEvidence, 'claim', { id: 'asc' }),
    );
  }

  get insurer() {
    return this.lazy('insurer', () => createEntityByIdLoader(this.em, InsuranceProvider));
  }

  get claimPayouts() {
    return this.lazy('claimPayouts', () => createRowsByParentLoader(this.em, Payout, 'claim', { id: 'asc' }));
  }

  get claimRecoveries() {
    return this.lazy('claimRecoveries', () =>
      createRowsByParentLoader(this.em, Recovery, 'claim', { id: 'asc' }),
    );
  }

  get claimDefences() {
    return this.lazy('claimDefences', () =>
      createRowsByParentLoader(this.em, ProductDefence, 'claim', { id: 'asc' }),
    );
  }

  get claimDecisions() {
    return this.lazy('claimDecisions', () =>
      createRowsByParentLoader(this.em, ClaimDecision, 'claim', { id: 'asc' }),
    );
  }

  /** Claims by id, unscoped: only for claims the caller was already allowed to reach. */
  get claim() {
    return this.lazy('claim', () => createEntityByIdLoader(this.em, Claim));
  }

  get claimScreenings() {
    return this.lazy('claimScreenings', () =>
      createRowsByParentLoader(this.em, ClaimScreening, 'claim', { id: 'asc' }),
    );
  }

  get claimFraudReviews() {
    return this.lazy('claimFraudReviews', () =>
      createRowsByParentLoader(this.em, FraudReview, 'claim', { id: 'asc' }),
    );
  }

  get claimInjuryDetails() {
    return this.lazy('claimInjuryDetails', () =>
      createRowsByParentLoader(this.em, ClaimInjuryDetails, 'claim', { id: 'asc' }),
    );
  }

  get policyEvents() {
    return this.lazy('policyEvents', () =>
      createRowsByParentLoader(this.em, InsurancePolicyEvent, 'policy', { id: 'asc' }),
    );
  }

  get quoteRequest() {
    return this.lazy('quoteRequest', () => createEntityByIdLoader(this.em, InsuranceQuoteRequest));
  }
}
