import { ClaimEvent } from './claim-event.entity';
import { ClaimEvidence } from './claim-evidence.entity';
import { ClaimInjuryDetails } from './claim-injury-details.entity';
import { Claim } from './claim.entity';
import { Customer } from './customer.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { InsurancePolicy } from './insurance-policy.entity';
import { InsuranceProvider } from './insurance-provider.entity';
import { Order } from './order.entity';
import { Product } from './product.entity';
import { Seller } from './seller.entity';

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
];
