import { addressFingerprint } from '../screening/address-fingerprint';
import type { EntityManager } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import { Customer } from '../../entities/customer.entity';
import { Order } from '../../entities/order.entity';
import { Product } from '../../entities/product.entity';
import { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import type { MutationRunner } from '../common/mutation-runner';
import { Refusal } from '../common/refusal';
import { checkMoney, type MoneyRequest } from '../money/money-input';
import { checkEmail, checkExternalRef, checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

export interface UpsertCustomerRequest {
  externalRef: string;
  name: string;
  email: string;
}

export interface UpsertSellerRequest {
  externalRef: string;
  name: string;
  contactEmail: string;
}

export interface UpsertProductRequest {
  externalRef: string;
  name: string;
  category: string;
  price: MoneyRequest;
}

export interface RecordOrderRequest {
  externalRef: string;
  customerRef: string;
  sellerRef: string;
  productRef: string;
  quantity: number;
  price: MoneyRequest;
  purchasedAt: Date;
  deliveredAt?: Date | null;
  deliveryAddress?: string | null;
}

export const MAX_ORDER_QUANTITY = 100_000;

type Written<K extends string, T> =
  ({ [P in K]: T } & { userErrors: [] }) | ({ [P in K]: null } & { userErrors: UserError[] });

/**
 * Customers, sellers, products and orders as the marketplace reports them (AGENT only). Each write
 * is idempotent by the marketplace's external reference: the same request twice leaves one row.
 */
export class ReferenceDataService {
  constructor(
    private readonly clock: Clock,
    private readonly supportedCurrencies: readonly string[],
    private readonly mutations: MutationRunner,
  ) {}

  async upsertCustomer(
    ctx: RequestContext,
    request: UpsertCustomerRequest,
  ): Promise<Written<'customer', Customer>> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const name = checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    const email = checkEmail(request.email, ['input', 'email'], errors);
    if (errors.length > 0 || !externalRef || !name || !email) return { customer: null, userErrors: errors };
    const customer = await this.upsert(ctx.em, Customer, { externalRef, name, email }, ['name', 'email']);
    return { customer, userErrors: [] };
  }

  async upsertSeller(ctx: RequestContext, request: UpsertSellerRequest): Promise<Written<'seller', Seller>> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const name = checkText(request.name, ['input', 'name'], TEXT_LIMITS.personName, errors);
    const contactEmail = checkEmail(request.contactEmail, ['input', 'contactEmail'], errors);
    if (errors.length > 0 || !externalRef || !name || !contactEmail)
      return { seller: null, userErrors: errors };
    const seller = await this.upsert(ctx.em, Seller, { externalRef, name, contactEmail }, [
      'name',
      'contactEmail',
    ]);
    return { seller, userErrors: [] };
  }

  async upsertProduct(
    ctx: RequestContext,
    request: UpsertProductRequest,
  ): Promise<Written<'product', Product>> {
    requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const name = checkText(request.name, ['input', 'name'], TEXT_LIMITS.productName, errors);
    const category = checkText(request.category, ['input', 'category'], TEXT_LIMITS.category, errors);
    const price = checkMoney(request.price, ['input', 'price'], this.supportedCurrencies, errors);
    if (errors.length > 0 || !externalRef || !name || !category || !price)
      return { product: null, userErrors: errors };
    const product = await this.upsert(
      ctx.em,
      Product,
      { externalRef, name, category, priceMinor: price.minor, currency: price.currency },
      ['name', 'category', 'priceMinor', 'currency'],
    );
    return { product, userErrors: [] };
  }

  /** One statement (INSERT … ON CONFLICT DO UPDATE), so concurrent upserts of one reference agree. */
  private async upsert<T extends Customer | Seller | Product>(
    em: EntityManager,
    entity: new () => T,
    data: Record<string, unknown>,
    mergeFields: string[],
  ): Promise<T> {
    const now = this.clock.now();
    return em.upsert(
      entity,
      { ...data, createdAt: now, updatedAt: now },
      {
        onConflictFields: ['externalRef'] as never,
        onConflictAction: 'merge',
        onConflictMergeFields: [...mergeFields, 'updatedAt'] as never,
      },
    ) as Promise<T>;
  }

  async recordOrder(ctx: RequestContext, request: RecordOrderRequest): Promise<Written<'order', Order>> {
    const viewer = requireRole(ctx.auth, Role.AGENT);
    const errors: UserError[] = [];
    const externalRef = checkExternalRef(request.externalRef, ['input', 'externalRef'], errors);
    const price = checkMoney(request.price, ['input', 'price'], this.supportedCurrencies, errors);
    if (
      !Number.isInteger(request.quantity) ||
      request.quantity < 1 ||
      request.quantity > MAX_ORDER_QUANTITY
    ) {
      errors.push(
        userError(
          ['input', 'quantity'],
          UserErrorCode.OUT_OF_RANGE,
          `quantity must be between 1 and ${MAX_ORDER_QUANTITY}`,
        ),
      );
    }
    const now = this.clock.now();
    if (request.purchasedAt > now) {
      errors.push(
        userError(['input', 'purchasedAt'], UserErrorCode.DATE_IN_FUTURE, 'purchasedAt is in the future'),
      );
    }
    if (request.deliveredAt && request.deliveredAt > now) {
      errors.push(
        userError(['input', 'deliveredAt'], UserErrorCode.DATE_IN_FUTURE, 'deliveredAt is in the future'),
      );
    } else if (request.deliveredAt && request.deliveredAt < request.purchasedAt) {
      errors.push(
        userError(
          ['input', 'deliveredAt'],
          UserErrorCode.DELIVERY_BEFORE_PURCHASE,
          'deliveredAt is before purchasedAt',
        ),
      );
    }
    const address = checkText(request.deliveryAddress, ['input', 'deliveryAddress'], 500, errors, {
      required: false,
    });
    const deliveryAddressKey = address === null ? null : addressFingerprint(address);
    if (address !== null && deliveryAddressKey === null) {
      errors.push(
        userError(
          ['input', 'deliveryAddress'],
          UserErrorCode.INVALID_FORMAT,
          'the delivery address has no letters or digits',
        ),
      );
    }
    if (errors.length > 0 || !externalRef || !price) return { order: null, userErrors: errors };

    return this.mutations.run<Written<'order', Order>>(ctx, {
      viewer,
      operation: 'recordOrder',
      run: async (em) => {
        // One after another: a transaction holds one connection, which runs one query at a time.
        const customer = await em.findOne(Customer, { externalRef: request.customerRef });
        const seller = await em.findOne(Seller, { externalRef: request.sellerRef });
        const product = await em.findOne(Product, { externalRef: request.productRef });
        const errors: UserError[] = [];
        if (!customer)
          errors.push(
            userError(['input', 'customerRef'], UserErrorCode.NOT_FOUND, 'no customer with this reference'),
          );
        if (!seller)
          errors.push(
            userError(['input', 'sellerRef'], UserErrorCode.NOT_FOUND, 'no seller with this reference'),
          );
        if (!product)
          errors.push(
            userError(['input', 'productRef'], UserErrorCode.NOT_FOUND, 'no product with this reference'),
          );
        if (!customer || !seller || !product) throw new Refusal(errors);

        const existing = await em.findOne(Order, { externalRef });
        if (existing) {
          // What was bought, by whom, when and for how much never changes; delivery may be reported later.
          const same =
            existing.customer.id === customer.id &&
            existing.seller.id === seller.id &&
            existing.product.id === product.id &&
            existing.quantity === request.quantity &&
            existing.priceMinor === price.minor &&
            existing.currency === price.currency &&
            existing.purchasedAt.getTime() === request.purchasedAt.getTime();
          if (!same) {
            throw new Refusal([
              userError(
                ['input', 'externalRef'],
                UserErrorCode.ORDER_CONFLICT,
                'this order was recorded with different details',
              ),
            ]);
          }
          if (request.deliveredAt) existing.deliveredAt = request.deliveredAt;
          if (deliveryAddressKey) existing.deliveryAddressKey = deliveryAddressKey;
          return { order: existing, userErrors: [] };
        }
        const order = em.create(Order, {
          externalRef,
          customer,
          seller,
          product,
          quantity: request.quantity,
          priceMinor: price.minor,
          currency: price.currency,
          purchasedAt: request.purchasedAt,
          deliveredAt: request.deliveredAt ?? null,
          deliveryAddressKey,
          createdAt: now,
          updatedAt: now,
        });
        return { order, userErrors: [] };
      },
      refused: (userErrors) => ({ order: null, userErrors }),
      // The same order recorded concurrently: the second run finds it and compares.
      raced: 'run again',
    });
  }
}
