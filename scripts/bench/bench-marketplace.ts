/**
 * The bench's data, written the way the marketplace writes it: through the AGENT reference-data
 * mutations (one seller, one product, customers with their orders), then claims filed by the
 * customers themselves. Dates follow the wall clock, since the servers run on the system clock.
 */
import { createHash } from 'node:crypto';
import { Role } from '../../src/auth/role';
import { issueToken } from '../../src/auth/token-issuer';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { utcDay } from '../../src/services/common/clock';
import { postGraphQL } from './graphql-post';

const DAY = 24 * 60 * 60 * 1000;
const SELLER_REF = 'bench-seller';
const PRODUCT_REF = 'bench-heater';
const PRICE = { amount: '89.99', currencyCode: 'USD' };
/** Customers written per request: three mutations each, within the alias limit of 15. */
const CUSTOMERS_PER_REQUEST = 5;

export interface BenchCustomer {
  customerRef: string;
  /** Global id of the customer's recent order, to file a claim on. */
  orderId: string;
  /** A CUSTOMER token for `customerRef`. */
  token: string;
}

export function agentToken(): Promise<string> {
  return issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.AGENT, subject: 'agent-bench' });
}

/** The seller and the product every bench order is for. */
export async function recordCatalogue(url: string, agent: string): Promise<void> {
  await postGraphQL(
    url,
    agent,
    `mutation($seller: UpsertSellerInput!, $product: UpsertProductInput!) {
      upsertSeller(input: $seller) { userErrors { code } }
      upsertProduct(input: $product) { userErrors { code } }
    }`,
    {
      seller: { externalRef: SELLER_REF, name: 'Bench Goods', contactEmail: 'bench-seller@example.com' },
      product: { externalRef: PRODUCT_REF, name: 'Space heater', category: 'home', price: PRICE },
    },
  );
}

/**
 * Customers `<prefix>-0` … `<prefix>-<count - 1>`, each established (an order from over a year ago,
 * so screening does not hold a brand-new account against them) with a recent, delivered order of
 * its own to claim on. `concurrency` requests are in flight at once.
 */
export async function establishCustomers(
  url: string,
  agent: string,
  prefix: string,
  count: number,
  concurrency = 8,
): Promise<BenchCustomer[]> {
  const now = Date.now();
  const refs = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  const batches: string[][] = [];
  for (let start = 0; start < refs.length; start += CUSTOMERS_PER_REQUEST)
    batches.push(refs.slice(start, start + CUSTOMERS_PER_REQUEST));
  const orderIds = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const declarations: string[] = [];
      const fields: string[] = [];
      const variables: Record<string, unknown> = {};
      batch.forEach((customerRef, index) => {
        declarations.push(
          `$customer${index}: UpsertCustomerInput!, $past${index}: RecordOrderInput!, $recent${index}: RecordOrderInput!`,
        );
        fields.push(
          `customer${index}: upsertCustomer(input: $customer${index}) { userErrors { code message } }`,
          `past${index}: recordOrder(input: $past${index}) { userErrors { code message } }`,
          `recent${index}: recordOrder(input: $recent${index}) { order { id } userErrors { code message } }`,
        );
        const order = {
          customerRef,
          sellerRef: SELLER_REF,
          productRef: PRODUCT_REF,
          quantity: 1,
          price: PRICE,
        };
        variables[`customer${index}`] = {
          externalRef: customerRef,
          name: `Customer ${customerRef}`,
          email: `${customerRef}@example.com`,
        };
        variables[`past${index}`] = {
          ...order,
          externalRef: `${customerRef}-past`,
          purchasedAt: new Date(now - 400 * DAY).toISOString(),
          deliveredAt: new Date(now - 397 * DAY).toISOString(),
        };
        variables[`recent${index}`] = {
          ...order,
          externalRef: `${customerRef}-recent`,
          purchasedAt: new Date(now - 10 * DAY).toISOString(),
          deliveredAt: new Date(now - 8 * DAY).toISOString(),
        };
      });
      const data = await postGraphQL<Record<string, { order?: { id: string }; userErrors: unknown[] }>>(
        url,
        agent,
        `mutation(${declarations.join(', ')}) { ${fields.join('\n')} }`,
        variables,
      );
      for (const [field, payload] of Object.entries(data)) {
        if (payload.userErrors.length > 0) throw new Error(`${field}: ${JSON.stringify(payload.userErrors)}`);
      }
      batch.forEach((customerRef, index) => orderIds.set(customerRef, data[`recent${index}`].order!.id));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Promise.all(
    refs.map(async (customerRef) => ({
      customerRef,
      orderId: orderIds.get(customerRef)!,
      token: await issueToken(DEVELOPMENT_JWT_SECRET, { role: Role.CUSTOMER, subject: customerRef }),
    })),
  );
}

export const FILE_CLAIM = `mutation FileClaim($input: FileClaimInput!) {
  fileClaim(input: $input) { claim { id status } userErrors { field code message } }
}`;

/** Words a description is drawn from (see `claimFiling`). */
const DESCRIPTION_WORDS = (
  'heater overheated scorched floor carpet smoke smell burning plastic cable plug socket wall ' +
  'melted switch casing fan stopped sparked tripped fuse kitchen bedroom hallway evening morning ' +
  'night first second week after using turned off unplugged mark stain damage crack left right ' +
  'behind under near front back small large black brown hot sudden loud noise'
).split(' ');

/**
 * A valid property-damage filing on the customer's recent order: a small amount (so screening
 * routes it to a concession, paid at once), a photo of its own, since reused evidence is a
 * screening signal, and a description of its own: sixteen words drawn from a small vocabulary,
 * long enough for screening to compare it with other claimants' (the policy's minimum is twelve)
 * and as unlike theirs as customers' own words usually are, so that the similarity index is
 * written and searched as it is in use without flagging the claim.
 */
export function claimFiling(customer: BenchCustomer): Record<string, unknown> {
  const digest = createHash('sha256').update(`bench-${process.pid}-${customer.customerRef}`).digest();
  const words = Array.from({ length: 16 }, (_, i) => DESCRIPTION_WORDS[digest[i] % DESCRIPTION_WORDS.length]);
  return {
    orderId: customer.orderId,
    kinds: ['PROPERTY_DAMAGE'],
    incidentDate: utcDay(new Date(Date.now() - 2 * DAY)),
    description: `The ${words.join(' ')}.`,
    amountClaimed: { amount: '250.00', currencyCode: 'USD' },
    evidence: [
      {
        kind: 'PHOTO',
        description: 'Scorched floor',
        contentHash: `sha256:${digest.toString('hex')}`,
        uri: 'https://files.example.com/photo.jpg',
      },
    ],
    idempotencyKey: `bench-${customer.customerRef}`,
  };
}

/** Files the customer's claim; returns the claim's global id. */
export async function fileClaim(url: string, customer: BenchCustomer): Promise<string> {
  const { fileClaim } = await postGraphQL<{
    fileClaim: { claim: { id: string } | null; userErrors: unknown[] };
  }>(url, customer.token, FILE_CLAIM, {
    input: claimFiling(customer),
  });
  if (!fileClaim.claim) throw new Error(`fileClaim: ${JSON.stringify(fileClaim.userErrors)}`);
  return fileClaim.claim.id;
}
