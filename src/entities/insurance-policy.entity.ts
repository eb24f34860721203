import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { InsuranceProvider } from './insurance-provider.entity';
import { Seller } from './seller.entity';

export enum InsurancePolicyStatus {
  PENDING_VERIFICATION = 'PENDING_VERIFICATION',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

/** A seller's product-liability policy: who insures the seller, and for which days. */
@Entity({ tableName: 'insurance_policy' })
@Unique({ properties: ['provider', 'policyNumber'] })
export class InsurancePolicy {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Seller, { index: true })
  seller!: Seller;

  @ManyToOne(() => InsuranceProvider, { index: true })
  provider!: InsuranceProvider;

  @Property({ type: 'string', length: 100 })
  policyNumber!: string;

  /** First day of cover (YYYY-MM-DD). */
  @Property({ type: 'date' })
  effectiveFrom!: string;

  /** Last day of cover (YYYY-MM-DD), inclusive. */
  @Property({ type: 'date' })
  effectiveTo!: string;

  @Enum({ items: () => InsurancePolicyStatus, type: 'string', length: 30 })
  status!: InsurancePolicyStatus;
}
