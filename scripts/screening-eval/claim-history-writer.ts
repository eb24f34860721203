/**
 * Writes a generated claim history the way claimgraph holds it: the seller, products, customers
 * and orders first, then each claim with its evidence and description bands. Shared by the
 * screening evaluation and the tests that screen such a history.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Role } from '../../src/auth/role';
import { ClaimDescriptionBand } from '../../src/entities/claim-description-band.entity';
import { ClaimEvidence } from '../../src/entities/claim-evidence.entity';
import { ActorRole } from '../../src/entities/claim-event-type';
import { ClaimStatus } from '../../src/entities/claim-status';
import { Claim } from '../../src/entities/claim.entity';
import { Customer } from '../../src/entities/customer.entity';
import { EvidenceKind } from '../../src/entities/evidence-kind';
import { Order } from '../../src/entities/order.entity';
import { Product } from '../../src/entities/product.entity';
import { Seller } from '../../src/entities/seller.entity';
import { addressFingerprint } from '../../src/services/screening/address-fingerprint';
import { descriptionBandRows } from '../../src/services/screening/screening.service';
import type { ClaimHistory, GeneratedClaim } from './claim-history-generator';

export interface ReferenceData {
  /** By generated order ref. */
  orders: Map<string, Order>;
}

/** The seller, products, customers and orders of the history, flushed. */
export async function recordReferenceData(em: EntityManager, history: ClaimHistory): Promise<ReferenceData> {
  const seller = em.create(Seller, {
    externalRef: 'seller-eval',
    name: 'Evaluation Seller',
    contactEmail: 'seller@example.com',
  });
  const products = new Map(
    history.products.map((p) => [
      p.ref,
      em.create(Product, {
        externalRef: p.ref,
        name: p.ref,
        category: 'home',
        priceMinor: p.priceMinor,
        currency: 'USD',
      }),
    ]),
  );
  const customers = new Map(
    history.customers.map((c) => [
      c.ref,
      em.create(Customer, { externalRef: c.ref, name: c.ref, email: `${c.ref}@example.com` }),
    ]),
  );
  const orders = new Map(
    history.orders.map((o) => [
      o.ref,
      em.create(Order, {
        externalRef: o.ref,
        customer: customers.get(o.customerRef)!,
        seller,
        product: products.get(o.productRef)!,
        quantity: 1,
        priceMinor: o.priceMinor,
        currency: 'USD',
        purchasedAt: o.purchasedAt,
        deliveredAt: o.deliveredAt,
        deliveryAddressKey: addressFingerprint(o.deliveryAddress),
      }),
    ]),
  );
  await em.flush();
  return { orders };
}

/** Writes one generated claim (flushed, with its evidence and description bands) in `status`. */
export async function writeClaim(
  em: EntityManager,
  generated: GeneratedClaim,
  references: ReferenceData,
  status = ClaimStatus.SCREENING,
): Promise<Claim> {
  const order = references.orders.get(generated.orderRef)!;
  const claim = em.create(Claim, {
    order: order.id,
    customer: order.customer.id,
    seller: order.seller.id,
    product: order.product.id,
    coversPropertyDamage: true,
    coversPersonalInjury: generated.personalInjury,
    status,
    incidentDate: generated.incidentDate,
    description: generated.description,
    claimedAmountMinor: generated.amountMinor,
    currency: 'USD',
    filedAt: generated.filedAt,
    filedByRole: Role.CUSTOMER,
    filedBySubject: generated.customerRef,
    payoutDestination: generated.payoutDestination,
  });
  for (const hash of generated.evidenceHashes) {
    em.create(ClaimEvidence, {
      claim,
      kind: EvidenceKind.PHOTO,
      description: 'photo of the damage',
      contentHash: hash,
      uri: `https://files.example.com/${hash.slice(7, 19)}.jpg`,
      addedAt: generated.filedAt,
      addedByRole: ActorRole.CUSTOMER,
    });
  }
  await em.flush();
  await em.insertMany(ClaimDescriptionBand, descriptionBandRows([claim]));
  return claim;
}
