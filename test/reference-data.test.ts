import type { EntityName } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { Customer } from '../src/entities/customer.entity';
import { Order } from '../src/entities/order.entity';
import { Product } from '../src/entities/product.entity';
import { Seller } from '../src/entities/seller.entity';
import { toGlobalId } from '../src/graphql/global-id';
import { TEXT_LIMITS } from '../src/services/common/text-input';
import {
  type RecordOrderInput,
  RecordOrderDocument,
  ReferenceNodeDocument,
  type UpsertCustomerInput,
  UpsertCustomerDocument,
  type UpsertProductInput,
  UpsertProductDocument,
  type UpsertSellerInput,
  UpsertSellerDocument,
  type UserErrorCode,
} from './__generated__/graphql';
import { type Marketplace, seedMarketplace } from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { TEST_NOW, startTestServer, type TestServer } from './support/test-server';

let t: TestServer;
let agent: GraphQLClient;
let market: Marketplace;

beforeAll(async () => {
  t = await startTestServer();
  agent = await t.agent();
  market = await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

// ---------------------------------------------------------------------------------------------
// Inputs and row counts
// ---------------------------------------------------------------------------------------------

function customerInput(
  externalRef: string,
  overrides: Partial<UpsertCustomerInput> = {},
): UpsertCustomerInput {
  return { externalRef, name: 'Grace Hopper', email: `${externalRef}@example.com`, ...overrides };
}

function sellerInput(externalRef: string, overrides: Partial<UpsertSellerInput> = {}): UpsertSellerInput {
  return { externalRef, name: 'Gamma Outfitters', contactEmail: `${externalRef}@example.com`, ...overrides };
}

function productInput(externalRef: string, overrides: Partial<UpsertProductInput> = {}): UpsertProductInput {
  return {
    externalRef,
    name: 'Space heater',
    category: 'home',
    price: { amount: '89.99', currencyCode: 'USD' },
    ...overrides,
  };
}

/** An order of two heaters by cust-a from sell-a, before the test clock's "now". */
function orderInput(externalRef: string, overrides: Partial<RecordOrderInput> = {}): RecordOrderInput {
  return {
    externalRef,
    customerRef: 'cust-a',
    sellerRef: 'sell-a',
    productRef: 'prod-heater',
    quantity: 2,
    price: { amount: '179.98', currencyCode: 'USD' },
    purchasedAt: '2026-06-01T09:30:00.000Z',
    ...overrides,
  };
}

function rowsOf(entity: EntityName<object>, where: object = {}): Promise<number> {
  return t.orm.em.fork().count(entity, where);
}

async function rowCounts(): Promise<Record<string, number>> {
  return {
    customers: await rowsOf(Customer),
    sellers: await rowsOf(Seller),
    products: await rowsOf(Product),
    orders: await rowsOf(Order),
  };
}

/** The payload of a refused write: no object, and exactly these errors in this order. */
function refused(key: string, ...errors: [field: string[], code: UserErrorCode][]) {
  return {
    [key]: null,
    userErrors: errors.map(([field, code]) => ({ field, code, message: expect.any(String) })),
  };
}

// ---------------------------------------------------------------------------------------------

describe('upsertCustomer', () => {
  it('creates, returns the same customer for the same call, and updates it in place', async () => {
    const input = customerInput('cust-idem');
    const { upsertCustomer: created } = await agent.data(UpsertCustomerDocument, { input });
    expect(created).toEqual({
      customer: {
        id: expect.any(String),
        externalRef: 'cust-idem',
        name: 'Grace Hopper',
        email: 'cust-idem@example.com',
      },
      userErrors: [],
    });

    const { upsertCustomer: repeated } = await agent.data(UpsertCustomerDocument, { input });
    expect(repeated).toEqual(created);
    expect(await rowsOf(Customer, { externalRef: 'cust-idem' })).toBe(1);

    const { upsertCustomer: renamed } = await agent.data(UpsertCustomerDocument, {
      input: { ...input, name: 'Grace B. Hopper', email: 'grace@example.com' },
    });
    expect(renamed).toEqual({
      customer: { ...created.customer, name: 'Grace B. Hopper', email: 'grace@example.com' },
      userErrors: [],
    });
    expect(await rowsOf(Customer, { externalRef: 'cust-idem' })).toBe(1);
  });

  it('trims the text it stores', async () => {
    const { upsertCustomer } = await agent.data(UpsertCustomerDocument, {
      input: { externalRef: '  cust-trim ', name: '  Ada  ', email: ' ada@example.com ' },
    });
    expect(upsertCustomer).toEqual({
      customer: { id: expect.any(String), externalRef: 'cust-trim', name: 'Ada', email: 'ada@example.com' },
      userErrors: [],
    });
  });
});

describe('upsertSeller', () => {
  it('creates, returns the same seller for the same call, and updates it in place', async () => {
    const input = sellerInput('sell-idem');
    const { upsertSeller: created } = await agent.data(UpsertSellerDocument, { input });
    expect(created).toEqual({
      seller: {
        id: expect.any(String),
        externalRef: 'sell-idem',
        name: 'Gamma Outfitters',
        contactEmail: 'sell-idem@example.com',
      },
      userErrors: [],
    });

    const { upsertSeller: repeated } = await agent.data(UpsertSellerDocument, { input });
    expect(repeated).toEqual(created);
    expect(await rowsOf(Seller, { externalRef: 'sell-idem' })).toBe(1);

    const { upsertSeller: renamed } = await agent.data(UpsertSellerDocument, {
      input: { ...input, name: 'Gamma Outdoor' },
    });
    expect(renamed).toEqual({ seller: { ...created.seller, name: 'Gamma Outdoor' }, userErrors: [] });
    expect(await rowsOf(Seller, { externalRef: 'sell-idem' })).toBe(1);
  });
});

describe('upsertProduct', () => {
  it('creates, returns the same product for the same call, and updates it in place', async () => {
    const input = productInput('prod-idem');
    const { upsertProduct: created } = await agent.data(UpsertProductDocument, { input });
    expect(created).toEqual({
      product: {
        id: expect.any(String),
        externalRef: 'prod-idem',
        name: 'Space heater',
        category: 'home',
        price: { amount: '89.99', currencyCode: 'USD' },
      },
      userErrors: [],
    });

    const { upsertProduct: repeated } = await agent.data(UpsertProductDocument, { input });
    expect(repeated).toEqual(created);
    expect(await rowsOf(Product, { externalRef: 'prod-idem' })).toBe(1);

    const { upsertProduct: changed } = await agent.data(UpsertProductDocument, {
      input: { ...input, name: 'Oil-filled heater', price: { amount: '79.5', currencyCode: 'eur' } },
    });
    expect(changed).toEqual({
      product: {
        ...created.product,
        name: 'Oil-filled heater',
        price: { amount: '79.50', currencyCode: 'EUR' },
      },
      userErrors: [],
    });
    expect(await rowsOf(Product, { externalRef: 'prod-idem' })).toBe(1);
  });
});

// Every text at its longest, with characters beyond ASCII, must fit its database column.
it('accepts each text input at its longest', async () => {
  const ref = (prefix: string) => `${prefix}-${'x'.repeat(TEXT_LIMITS.externalRef - prefix.length - 1)}`;
  const email = `${'é'.repeat(TEXT_LIMITS.email - '@example.com'.length)}@example.com`;
  const name = 'Ü'.repeat(TEXT_LIMITS.personName);

  const { upsertCustomer } = await agent.data(UpsertCustomerDocument, {
    input: { externalRef: ref('c'), name, email },
  });
  expect(upsertCustomer).toEqual({
    customer: { id: expect.any(String), externalRef: ref('c'), name, email },
    userErrors: [],
  });

  const { upsertSeller } = await agent.data(UpsertSellerDocument, {
    input: { externalRef: ref('s'), name, contactEmail: email },
  });
  expect(upsertSeller).toEqual({
    seller: { id: expect.any(String), externalRef: ref('s'), name, contactEmail: email },
    userErrors: [],
  });

  const productName = 'ß'.repeat(TEXT_LIMITS.productName);
  const category = 'ç'.repeat(TEXT_LIMITS.category);
  const { upsertProduct } = await agent.data(UpsertProductDocument, {
    input: productInput(ref('p'), {
      name: productName,
      category,
      price: { amount: '1000000.00', currencyCode: 'USD' },
    }),
  });
  expect(upsertProduct).toEqual({
    product: {
      id: expect.any(String),
      externalRef: ref('p'),
      name: productName,
      category,
      price: { amount: '1000000.00', currencyCode: 'USD' },
    },
    userErrors: [],
  });
});

// ---------------------------------------------------------------------------------------------

interface InvalidWrite {
  name: string;
  /** Sends the request; returns the mutation's payload. */
  send: () => Promise<unknown>;
  expected: ReturnType<typeof refused>;
}

const tooLong = (limit: number) => 'a'.repeat(limit + 1);

const INVALID_WRITES: InvalidWrite[] = [
  {
    name: 'a customer with an empty name',
    send: async () =>
      (await agent.data(UpsertCustomerDocument, { input: customerInput('cust-bad-1', { name: '' }) }))
        .upsertCustomer,
    expected: refused('customer', [['input', 'name'], 'REQUIRED']),
  },
  {
    name: 'a customer with a blank name',
    send: async () =>
      (await agent.data(UpsertCustomerDocument, { input: customerInput('cust-bad-2', { name: ' \t ' }) }))
        .upsertCustomer,
    expected: refused('customer', [['input', 'name'], 'REQUIRED']),
  },
  {
    name: 'a customer with a name one character too long',
    send: async () =>
      (
        await agent.data(UpsertCustomerDocument, {
          input: customerInput('cust-bad-3', { name: tooLong(TEXT_LIMITS.personName) }),
        })
      ).upsertCustomer,
    expected: refused('customer', [['input', 'name'], 'TOO_LONG']),
  },
  {
    name: 'a customer with a control character in the name',
    send: async () =>
      (
        await agent.data(UpsertCustomerDocument, {
          input: customerInput('cust-bad-4', { name: 'Ada\u0007' }),
        })
      ).upsertCustomer,
    expected: refused('customer', [['input', 'name'], 'INVALID_FORMAT']),
  },
  {
    name: 'a customer with a malformed email',
    send: async () =>
      (
        await agent.data(UpsertCustomerDocument, {
          input: customerInput('cust-bad-5', { email: 'ada.example.com' }),
        })
      ).upsertCustomer,
    expected: refused('customer', [['input', 'email'], 'INVALID_FORMAT']),
  },
  {
    name: 'a customer with a space in the externalRef',
    send: async () =>
      (
        await agent.data(UpsertCustomerDocument, {
          input: customerInput('cust bad 6', { email: 'bad6@example.com' }),
        })
      ).upsertCustomer,
    expected: refused('customer', [['input', 'externalRef'], 'INVALID_FORMAT']),
  },
  {
    name: 'a customer with an externalRef one character too long',
    send: async () =>
      (await agent.data(UpsertCustomerDocument, { input: customerInput(tooLong(TEXT_LIMITS.externalRef)) }))
        .upsertCustomer,
    expected: refused('customer', [['input', 'externalRef'], 'TOO_LONG']),
  },
  {
    name: 'a customer with several faults, reported together',
    send: async () =>
      (await agent.data(UpsertCustomerDocument, { input: { externalRef: '', name: '', email: 'nobody' } }))
        .upsertCustomer,
    expected: refused(
      'customer',
      [['input', 'externalRef'], 'REQUIRED'],
      [['input', 'name'], 'REQUIRED'],
      [['input', 'email'], 'INVALID_FORMAT'],
    ),
  },
  {
    name: 'a seller with an empty name',
    send: async () =>
      (await agent.data(UpsertSellerDocument, { input: sellerInput('sell-bad-1', { name: '' }) }))
        .upsertSeller,
    expected: refused('seller', [['input', 'name'], 'REQUIRED']),
  },
  {
    name: 'a seller with a name one character too long',
    send: async () =>
      (
        await agent.data(UpsertSellerDocument, {
          input: sellerInput('sell-bad-2', { name: tooLong(TEXT_LIMITS.personName) }),
        })
      ).upsertSeller,
    expected: refused('seller', [['input', 'name'], 'TOO_LONG']),
  },
  {
    name: 'a seller with a malformed contact email',
    send: async () =>
      (
        await agent.data(UpsertSellerDocument, {
          input: sellerInput('sell-bad-3', { contactEmail: 'sales@' }),
        })
      ).upsertSeller,
    expected: refused('seller', [['input', 'contactEmail'], 'INVALID_FORMAT']),
  },
  {
    name: 'a seller with a space in the externalRef',
    send: async () =>
      (
        await agent.data(UpsertSellerDocument, {
          input: sellerInput('sell bad', { contactEmail: 'sales@example.com' }),
        })
      ).upsertSeller,
    expected: refused('seller', [['input', 'externalRef'], 'INVALID_FORMAT']),
  },
  {
    name: 'a product with an empty name',
    send: async () =>
      (await agent.data(UpsertProductDocument, { input: productInput('prod-bad-1', { name: '' }) }))
        .upsertProduct,
    expected: refused('product', [['input', 'name'], 'REQUIRED']),
  },
  {
    name: 'a product with a name one character too long',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-2', { name: tooLong(TEXT_LIMITS.productName) }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'name'], 'TOO_LONG']),
  },
  {
    name: 'a product with a category one character too long',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-3', { category: tooLong(TEXT_LIMITS.category) }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'category'], 'TOO_LONG']),
  },
  {
    name: 'a product priced with three decimals',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-4', { price: { amount: '89.999', currencyCode: 'USD' } }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'price', 'amount'], 'AMOUNT_TOO_PRECISE']),
  },
  {
    name: 'a product priced in an unsupported currency',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-5', { price: { amount: '89.99', currencyCode: 'XYZ' } }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'price', 'currencyCode'], 'UNSUPPORTED_CURRENCY']),
  },
  {
    name: 'a product priced at 0',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-6', { price: { amount: '0', currencyCode: 'USD' } }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'price', 'amount'], 'AMOUNT_NOT_POSITIVE']),
  },
  {
    name: 'a product with a negative price',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-7', { price: { amount: '-5.00', currencyCode: 'USD' } }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'price', 'amount'], 'AMOUNT_NOT_POSITIVE']),
  },
  {
    name: 'a product priced over 1,000,000',
    send: async () =>
      (
        await agent.data(UpsertProductDocument, {
          input: productInput('prod-bad-8', { price: { amount: '1000000.01', currencyCode: 'USD' } }),
        })
      ).upsertProduct,
    expected: refused('product', [['input', 'price', 'amount'], 'AMOUNT_TOO_LARGE']),
  },
];

describe('invalid reference data', () => {
  it.each(INVALID_WRITES)('refuses $name and writes nothing', async ({ send, expected }) => {
    const before = await rowCounts();
    expect(await send()).toEqual(expected);
    expect(await rowCounts()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------

describe('recordOrder', () => {
  const recordOrder = async (input: RecordOrderInput) =>
    (await agent.data(RecordOrderDocument, { input })).recordOrder;

  it('records an order linked to its customer, seller and product', async () => {
    expect(await recordOrder(orderInput('ord-new'))).toEqual({
      order: {
        id: expect.any(String),
        externalRef: 'ord-new',
        quantity: 2,
        price: { amount: '179.98', currencyCode: 'USD' },
        purchasedAt: '2026-06-01T09:30:00.000Z',
        deliveredAt: null,
        customer: { id: market.customers['cust-a'], externalRef: 'cust-a' },
        seller: { id: market.sellers['sell-a'], externalRef: 'sell-a' },
        product: { id: market.products['prod-heater'], externalRef: 'prod-heater' },
      },
      userErrors: [],
    });
  });

  it('returns the same order for the same input, and takes a delivery time reported later', async () => {
    const first = await recordOrder(orderInput('ord-repeat'));
    expect(first.userErrors).toEqual([]);
    expect(await recordOrder(orderInput('ord-repeat'))).toEqual(first);
    expect(await rowsOf(Order, { externalRef: 'ord-repeat' })).toBe(1);

    const delivered = await recordOrder(
      orderInput('ord-repeat', { deliveredAt: '2026-06-04T15:00:00.000Z' }),
    );
    expect(delivered).toEqual({
      order: { ...first.order, deliveredAt: '2026-06-04T15:00:00.000Z' },
      userErrors: [],
    });

    // A later report without the delivery time does not forget it.
    expect(await recordOrder(orderInput('ord-repeat'))).toEqual(delivered);
    expect(await rowsOf(Order, { externalRef: 'ord-repeat' })).toBe(1);
  });

  describe('an order recorded again with different details', () => {
    let original: Awaited<ReturnType<typeof recordOrder>>;

    beforeAll(async () => {
      original = await recordOrder(orderInput('ord-fixed'));
    });

    it.each<[string, Partial<RecordOrderInput>]>([
      ['another quantity', { quantity: 3 }],
      ['another price', { price: { amount: '150.00', currencyCode: 'USD' } }],
      ['another currency', { price: { amount: '179.98', currencyCode: 'EUR' } }],
      ['another customer', { customerRef: 'cust-b' }],
      ['another seller', { sellerRef: 'sell-b' }],
      ['another product', { productRef: 'prod-charger' }],
      ['another purchase time', { purchasedAt: '2026-06-01T09:31:00.000Z' }],
    ])('is an ORDER_CONFLICT for %s, and the order is unchanged', async (_change, overrides) => {
      expect(await recordOrder(orderInput('ord-fixed', overrides))).toEqual(
        refused('order', [['input', 'externalRef'], 'ORDER_CONFLICT']),
      );
      expect(await recordOrder(orderInput('ord-fixed'))).toEqual(original);
      expect(await rowsOf(Order, { externalRef: 'ord-fixed' })).toBe(1);
    });
  });

  it.each<[string, Partial<RecordOrderInput>, ReturnType<typeof refused>]>([
    [
      'an unknown customer',
      { customerRef: 'cust-nobody' },
      refused('order', [['input', 'customerRef'], 'NOT_FOUND']),
    ],
    [
      'an unknown seller',
      { sellerRef: 'sell-nobody' },
      refused('order', [['input', 'sellerRef'], 'NOT_FOUND']),
    ],
    [
      'an unknown product',
      { productRef: 'prod-nothing' },
      refused('order', [['input', 'productRef'], 'NOT_FOUND']),
    ],
    [
      'nothing known',
      { customerRef: 'cust-nobody', sellerRef: 'sell-nobody', productRef: 'prod-nothing' },
      refused(
        'order',
        [['input', 'customerRef'], 'NOT_FOUND'],
        [['input', 'sellerRef'], 'NOT_FOUND'],
        [['input', 'productRef'], 'NOT_FOUND'],
      ),
    ],
    ['quantity 0', { quantity: 0 }, refused('order', [['input', 'quantity'], 'OUT_OF_RANGE'])],
    ['a negative quantity', { quantity: -1 }, refused('order', [['input', 'quantity'], 'OUT_OF_RANGE'])],
    [
      'a quantity over 100,000',
      { quantity: 100_001 },
      refused('order', [['input', 'quantity'], 'OUT_OF_RANGE']),
    ],
    [
      'a price of 0',
      { price: { amount: '0.00', currencyCode: 'USD' } },
      refused('order', [['input', 'price', 'amount'], 'AMOUNT_NOT_POSITIVE']),
    ],
    [
      'a space in the externalRef',
      { externalRef: 'ord 1' },
      refused('order', [['input', 'externalRef'], 'INVALID_FORMAT']),
    ],
    [
      // After the server's clock (TEST_NOW) yet long past by the wall clock: the server's clock rules.
      'a purchase after the server clock',
      { purchasedAt: '2026-06-15T12:00:01.000Z' },
      refused('order', [['input', 'purchasedAt'], 'DATE_IN_FUTURE']),
    ],
    [
      'a delivery after the server clock',
      { deliveredAt: '2026-06-15T12:00:01.000Z' },
      refused('order', [['input', 'deliveredAt'], 'DATE_IN_FUTURE']),
    ],
    [
      'a delivery before the purchase',
      { deliveredAt: '2026-06-01T09:29:59.000Z' },
      refused('order', [['input', 'deliveredAt'], 'DELIVERY_BEFORE_PURCHASE']),
    ],
  ])('refuses %s and writes nothing', async (_name, overrides, expected) => {
    const before = await rowCounts();
    expect(await recordOrder(orderInput('ord-refused', overrides))).toEqual(expected);
    expect(await rowCounts()).toEqual(before);
    expect(await rowsOf(Order, { externalRef: overrides.externalRef ?? 'ord-refused' })).toBe(0);
  });

  it('accepts a purchase and delivery at exactly the server clock', async () => {
    expect(t.clock.now()).toEqual(TEST_NOW);
    const { order, userErrors } = await recordOrder(
      orderInput('ord-now', { purchasedAt: TEST_NOW.toISOString(), deliveredAt: TEST_NOW.toISOString() }),
    );
    expect(userErrors).toEqual([]);
    expect(order).toMatchObject({
      externalRef: 'ord-now',
      purchasedAt: TEST_NOW.toISOString(),
      deliveredAt: TEST_NOW.toISOString(),
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('concurrent writes of one reference', () => {
  const CALLS = 10;

  it('records an order once when it is recorded ten times at once', async () => {
    const input = orderInput('ord-race');
    const results = await Promise.all(
      Array.from({ length: CALLS }, () =>
        agent.data(RecordOrderDocument, { input }).then((data) => data.recordOrder),
      ),
    );
    const [first] = results;
    expect(first.userErrors).toEqual([]);
    expect(results).toEqual(Array.from({ length: CALLS }, () => first));
    expect(await rowsOf(Order, { externalRef: 'ord-race' })).toBe(1);
  });

  it('creates a customer once when it is upserted ten times at once', async () => {
    const input = customerInput('cust-race');
    const results = await Promise.all(
      Array.from({ length: CALLS }, () =>
        agent.data(UpsertCustomerDocument, { input }).then((data) => data.upsertCustomer),
      ),
    );
    const [first] = results;
    expect(first.userErrors).toEqual([]);
    expect(results).toEqual(Array.from({ length: CALLS }, () => first));
    expect(await rowsOf(Customer, { externalRef: 'cust-race' })).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('node(id) of reference data', () => {
  // ord-a1: cust-a bought a heater from sell-a (see seedMarketplace).
  const viewNode = async (role: Role, subject: string, id: string) =>
    (await (await t.as(role, subject)).data(ReferenceNodeDocument, { id })).node;

  const orderA1 = (emails: { customer: string | null; seller: string | null }) => ({
    id: market.orders['ord-a1'].id,
    externalRef: 'ord-a1',
    customer: { id: market.customers['cust-a'], externalRef: 'cust-a', email: emails.customer },
    seller: { id: market.sellers['sell-a'], externalRef: 'sell-a', contactEmail: emails.seller },
    product: { id: market.products['prod-heater'], externalRef: 'prod-heater' },
  });

  it.each<[string, Role, string, Parameters<typeof orderA1>[0]]>([
    ['its customer', Role.CUSTOMER, 'cust-a', { customer: 'cust-a@example.com', seller: null }],
    ['its seller', Role.SELLER, 'sell-a', { customer: null, seller: 'sell-a@example.com' }],
    ['an agent', Role.AGENT, 'agent-1', { customer: 'cust-a@example.com', seller: 'sell-a@example.com' }],
  ])(
    'shows an order to %s, with only the contact details that are theirs to see',
    async (_who, role, subject, emails) => {
      expect(await viewNode(role, subject, market.orders['ord-a1'].id)).toEqual(orderA1(emails));
    },
  );

  it.each<[string, Role, string]>([
    ['another customer', Role.CUSTOMER, 'cust-b'],
    ['another seller', Role.SELLER, 'sell-b'],
    ['an insurer', Role.INSURER, 'ins-1'],
    ['a fraud expert', Role.FRAUD_EXPERT, 'expert-1'],
  ])('hides an order from %s', async (_who, role, subject) => {
    expect(await viewNode(role, subject, market.orders['ord-a1'].id)).toBeNull();
  });

  it.each<[string, Role, string]>([
    ['the customer itself', Role.CUSTOMER, 'cust-a'],
    ['an agent', Role.AGENT, 'agent-1'],
  ])('shows a customer, with its email, to %s', async (_who, role, subject) => {
    expect(await viewNode(role, subject, market.customers['cust-a'])).toEqual({
      id: market.customers['cust-a'],
      externalRef: 'cust-a',
      name: 'Ada Customer',
      email: 'cust-a@example.com',
    });
  });

  it.each<[string, Role, string]>([
    ['a seller it bought from', Role.SELLER, 'sell-a'],
    ['another customer', Role.CUSTOMER, 'cust-b'],
    ['an insurer', Role.INSURER, 'ins-1'],
    ['a fraud expert', Role.FRAUD_EXPERT, 'expert-1'],
  ])('hides a customer from %s', async (_who, role, subject) => {
    expect(await viewNode(role, subject, market.customers['cust-a'])).toBeNull();
  });

  it('shows a seller to anyone signed in, with its contact email only to itself and agents', async () => {
    const sellerA = (contactEmail: string | null) => ({
      id: market.sellers['sell-a'],
      externalRef: 'sell-a',
      name: 'Alpha Goods',
      contactEmail,
    });
    expect(await viewNode(Role.SELLER, 'sell-a', market.sellers['sell-a'])).toEqual(
      sellerA('sell-a@example.com'),
    );
    expect(await viewNode(Role.AGENT, 'agent-1', market.sellers['sell-a'])).toEqual(
      sellerA('sell-a@example.com'),
    );
    expect(await viewNode(Role.CUSTOMER, 'cust-a', market.sellers['sell-a'])).toEqual(sellerA(null));
    expect(await viewNode(Role.SELLER, 'sell-b', market.sellers['sell-a'])).toEqual(sellerA(null));
  });

  it('shows a product to anyone signed in', async () => {
    expect(await viewNode(Role.INSURER, 'ins-1', market.products['prod-heater'])).toEqual({
      id: market.products['prod-heater'],
      externalRef: 'prod-heater',
      name: 'Space heater',
    });
  });

  it('is null for an unknown or malformed id', async () => {
    expect(await viewNode(Role.AGENT, 'agent-1', toGlobalId('Order', 999_999))).toBeNull();
    expect(await viewNode(Role.AGENT, 'agent-1', 'not-an-id')).toBeNull();
  });

  it('is UNAUTHENTICATED without a token', async () => {
    const response = await t.anonymous().execute(ReferenceNodeDocument, { id: market.orders['ord-a1'].id });
    expect({ data: response.data, errors: response.errors }).toEqual({
      data: { node: null },
      errors: [
        {
          message: 'Not authenticated: a bearer token is required',
          locations: expect.any(Array),
          path: ['node'],
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  });
});
