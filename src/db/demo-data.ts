import type { MikroORM } from '@mikro-orm/core';
import { Customer } from '../entities/customer.entity';
import { ActorRole } from '../entities/claim-event-type';
import { FinancialRating } from '../entities/financial-rating';
import { InsurancePolicy, PolicySource, PolicyVerificationStatus } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { SellerInsuranceProfile } from '../entities/seller-insurance-profile.entity';
import { Seller } from '../entities/seller.entity';
import { utcDay } from '../services/common/clock';

/** The principals the demo tokens name. */
export const DEMO_PRINCIPALS = {
  CUSTOMER: 'cust-1001',
  SELLER: 'sell-2001',
  INSURER: 'ins-3001',
  AGENT: 'agent-0001',
  FRAUD_EXPERT: 'expert-0001',
} as const;

const DAY = 24 * 60 * 60 * 1000;

/**
 * Loads demo customers, sellers, products, orders and one insurer with policies into an empty
 * database. Returns false, changing nothing, when customers already exist: it runs once.
 */
export async function loadDemoData(orm: MikroORM, now: Date): Promise<boolean> {
  const em = orm.em.fork();
  if ((await em.count(Customer)) > 0) return false;
  await em.transactional(async (tx) => {
    const stamp = { createdAt: now, updatedAt: now };
    const customers = [
      ['cust-1001', 'Alice Martin', 'alice.martin@example.com'],
      ['cust-1002', 'Bilal Chen', 'bilal.chen@example.com'],
      ['cust-1003', 'Carla Diaz', 'carla.diaz@example.com'],
    ].map(([externalRef, name, email]) => tx.create(Customer, { externalRef, name, email, ...stamp }));
    const sellers = [
      ['sell-2001', 'Acme Home Goods', 'claims@acme-home.example.com'],
      ['sell-2002', 'BrightSpark Electronics', 'support@brightspark.example.com'],
      ['sell-2003', 'Kidzone Toys', 'care@kidzone.example.com'],
    ].map(([externalRef, name, contactEmail]) =>
      tx.create(Seller, { externalRef, name, contactEmail, ...stamp }),
    );
    const products = (
      [
        ['prod-5001', 'Ceramic space heater 1500 W', 'home-appliances', 8999n],
        ['prod-5002', 'Electric kettle 1.7 l', 'kitchen', 3499n],
        ['prod-5003', 'USB-C fast charger 65 W', 'electronics', 2999n],
        ['prod-5004', 'Folding e-scooter', 'mobility', 54900n],
        ['prod-5005', 'Wooden stacking toy', 'toys', 1999n],
      ] as const
    ).map(([externalRef, name, category, priceMinor]) =>
      tx.create(Product, { externalRef, name, category, priceMinor, currency: 'USD', ...stamp }),
    );
    const orders: [string, number, number, number, number, number][] = [
      // reference, customer, seller, product, days since purchase, days to deliver
      ['ord-9001', 0, 0, 0, 40, 3],
      ['ord-9002', 0, 1, 2, 25, 2],
      ['ord-9003', 1, 1, 3, 60, 5],
      ['ord-9004', 1, 0, 1, 12, 2],
      ['ord-9005', 2, 2, 4, 30, 4],
      ['ord-9006', 2, 1, 2, 8, 1],
    ];
    for (const [externalRef, customer, seller, product, daysAgo, deliveryDays] of orders) {
      const purchasedAt = new Date(now.getTime() - daysAgo * DAY);
      tx.create(Order, {
        externalRef,
        customer: customers[customer],
        seller: sellers[seller],
        product: products[product],
        quantity: 1,
        priceMinor: products[product].priceMinor,
        currency: 'USD',
        purchasedAt,
        deliveredAt: new Date(purchasedAt.getTime() + deliveryDays * DAY),
        ...stamp,
      });
    }
    // The network: a partner insurer that quotes through the API (the demo INSURER token), two
    // built-in providers that quote at once, and one whose cover falls short of the requirements.
    const insurer = tx.create(InsuranceProvider, {
      externalRef: 'ins-3001',
      name: 'Harbor Mutual Insurance',
      naicCode: '23001',
      financialRating: FinancialRating.A,
      vetted: true,
      contactEmail: 'claims@harbor-mutual.example',
    });
    tx.create(InsuranceProvider, {
      externalRef: 'ins-3002',
      name: 'Keystone General',
      naicCode: '23002',
      financialRating: FinancialRating.A_PLUS,
      vetted: true,
      ratingModel: 'GENERAL_MERCHANDISE',
    });
    tx.create(InsuranceProvider, {
      externalRef: 'ins-3003',
      name: 'Voltline Specialty',
      naicCode: '23003',
      financialRating: FinancialRating.A_MINUS,
      vetted: true,
      ratingModel: 'ELECTRONICS_SPECIALIST',
    });
    tx.create(InsuranceProvider, {
      externalRef: 'ins-3004',
      name: 'Prairie Budget Casualty',
      naicCode: '23004',
      financialRating: FinancialRating.B_PLUS,
      vetted: true,
      ratingModel: 'BUDGET_CARRIER',
    });
    for (const [index, seller] of sellers.slice(0, 2).entries()) {
      tx.create(InsurancePolicy, {
        seller,
        provider: insurer,
        policyNumber: `HM-PL-${2026_0001 + index}`,
        effectiveFrom: utcDay(new Date(now.getTime() - 180 * DAY)),
        effectiveTo: utcDay(new Date(now.getTime() + 185 * DAY)),
        verificationStatus: PolicyVerificationStatus.VERIFIED,
        source: PolicySource.REGISTERED,
        currency: 'USD',
        perOccurrenceLimitMinor: 100_000_000n,
        aggregateLimitMinor: 200_000_000n,
        deductibleMinor: 500_000n,
        additionalInsured: true,
        registeredAt: now,
        verifiedAt: now,
        verifiedByRole: ActorRole.AGENT,
      });
    }
    // Kidzone Toys has no policy yet: it can describe its business and ask the network for quotes.
    tx.create(SellerInsuranceProfile, {
      seller: sellers[2],
      productCategories: ['toys'],
      annualRevenueMinor: 48_000_000n,
      currency: 'USD',
      unitsSold: 21_000,
      yearsInBusiness: 4,
      updatedAt: now,
    });
  });
  return true;
}
