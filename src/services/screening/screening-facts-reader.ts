import type { EntityManager } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { arrayValue } from '../../db/postgresql-array';
import { placeholders, rowsOf } from '../../db/rows';
import { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { claimNumberOf } from '../claims/claim-number';
import { bandsOfShingles, jaccard, normalisedWords, shingles } from './description-similarity';
import { productClaimsCountedUpTo, type ScreeningFacts } from './screening-facts';
import type { ScreeningPolicy } from './screening-policy';

const DAY = 24 * 60 * 60 * 1000;
/** A claim that reached these statuses was paid (a claim only closes after payment). */
const PAID_STATUSES = [ClaimStatus.PAID, ClaimStatus.CLOSED];

/**
 * Gathers what screening needs for each claim, as of its filing: only claims with a smaller id
 * (filed before it) count as history, so screening the same claim again gives the same facts
 * whatever was filed since. The history of all the claims is read together, a fixed number of
 * queries however many claims there are, and then cut to each claim in memory; each claim's facts
 * are those it would get read alone.
 */
export async function loadScreeningFacts(
  em: EntityManager,
  claims: readonly Claim[],
  policy: ScreeningPolicy,
): Promise<Map<number, ScreeningFacts>> {
  const facts = new Map<number, ScreeningFacts>();
  if (claims.length === 0) return facts;
  const history = await readHistory(em, claims, policy);
  for (const claim of claims) facts.set(claim.id, factsOf(claim, history, policy));
  return facts;
}

/** Everything the claims' facts are cut from; each list holds candidates for several claims. */
type History = Awaited<ReturnType<typeof readHistory>>;
type DescriptionMatches = Map<number, ScreeningFacts['similarDescriptions']>;

/**
 * One query at a time: they share the transaction's connection. Everything is read as plain rows
 * in SQL written out (see rows.ts): no entity made of the history, each with a reference entity
 * for its claim or customer, and none of it joins the unit of work that is changing the claims
 * under screening.
 */
async function readHistory(em: EntityManager, claims: readonly Claim[], policy: ScreeningPolicy) {
  // Only claims filed before the last of the batch are history (see loadScreeningFacts).
  const before = Math.max(...claims.map((claim) => claim.id));
  const latestFiling = new Date(Math.max(...claims.map((claim) => claim.filedAt.getTime())));
  const claimIds = claims.map((claim) => claim.id);
  const claimants = distinct(claims.map((claim) => claim.customer.id));

  const orderIds = distinct(claims.map((claim) => claim.order.id));
  const orders = (
    await rowsOf<{
      id: number;
      price_minor: string | number | bigint;
      delivered_at: DateValue | null;
      delivery_address_key: string | null;
    }>(
      em,
      `select id, price_minor, delivered_at, delivery_address_key from customer_order where id in (${placeholders(orderIds)})`,
      orderIds,
    )
  ).map((row) => ({
    id: row.id,
    priceMinor: BigInt(row.price_minor),
    deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
    deliveryAddressKey: row.delivery_address_key,
  }));
  const orderById = new Map(orders.map((order) => [order.id, order]));
  // The claims under screening are in memory already: only the others are read.
  const claimById = new Map(claims.map((claim) => [claim.id, claim]));
  const claimantClaims = [
    ...(
      await rowsOf<{ id: number; customer_id: number; filed_at: DateValue; status: ClaimStatus }>(
        em,
        `select id, customer_id, filed_at, status from claim
        where customer_id in (${placeholders(claimants)}) and id < ? and id not in (${placeholders(claimIds)})`,
        [...claimants, before, ...claimIds],
      )
    ).map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      filedAt: new Date(row.filed_at),
      status: row.status,
    })),
    ...claims.map((claim) => ({
      id: claim.id,
      customerId: claim.customer.id,
      filedAt: claim.filedAt,
      status: claim.status,
    })),
  ];

  const evidence = await rowsOf<{ id: number; claim_id: number; content_hash: string }>(
    em,
    `select id, claim_id, content_hash from claim_evidence where claim_id in (${placeholders(claimIds)})`,
    claimIds,
  );
  const evidenceHashes = groupBy(
    evidence,
    (item) => item.claim_id,
    (item) => item.content_hash,
  );
  const hashes = distinct(evidence.map((item) => item.content_hash));
  const reusedEvidence =
    hashes.length === 0
      ? []
      : [
          ...(
            await rowsOf<{
              id: number;
              content_hash: string;
              claim_id: number;
              filed_at: DateValue;
              customer_id: number;
            }>(
              em,
              `select e.id, e.content_hash, c.id as claim_id, c.filed_at, c.customer_id from claim_evidence e join claim c on c.id = e.claim_id
        where e.content_hash in (${placeholders(hashes)}) and c.id < ? and c.id not in (${placeholders(claimIds)})`,
              [...hashes, before, ...claimIds],
            )
          ).map((row) => ({
            id: row.id,
            contentHash: row.content_hash,
            claim: { id: row.claim_id, filedAt: new Date(row.filed_at), customerId: row.customer_id },
          })),
          ...evidence.map((item) => {
            const claim = claimById.get(item.claim_id)!;
            return {
              id: item.id,
              contentHash: item.content_hash,
              claim: { id: claim.id, filedAt: claim.filedAt, customerId: claim.customer.id },
            };
          }),
        ].sort((a, b) => a.id - b.id);

  const paidStatuses = [...PAID_STATUSES];
  const claimsOnOrders = (
    await rowsOf<{
      id: number;
      order_id: number;
      filed_at: DateValue;
      covers_property_damage: boolean | number;
      covers_personal_injury: boolean | number;
    }>(
      em,
      `select id, order_id, filed_at, covers_property_damage, covers_personal_injury from claim
      where order_id in (${placeholders(orderIds)}) and status in (${placeholders(paidStatuses)})`,
      [...orderIds, ...paidStatuses],
    )
  ).map((row) => ({
    id: row.id,
    orderId: row.order_id,
    filedAt: new Date(row.filed_at),
    // Booleans from PostgreSQL, 0 or 1 from SQLite.
    coversPropertyDamage: Boolean(row.covers_property_damage),
    coversPersonalInjury: Boolean(row.covers_personal_injury),
  }));

  const addressKeys = distinct(
    orders.flatMap((order) => (order.deliveryAddressKey ? [order.deliveryAddressKey] : [])),
  );
  const customersAtAddresses =
    addressKeys.length === 0 ? [] : await customersOrderingTo(em, addressKeys, latestFiling);
  const claimantsAtAddresses =
    addressKeys.length === 0
      ? []
      : await firstClaimsOfCustomers(em, 'o.delivery_address_key', addressKeys, before);
  const destinations = distinct(
    claims.flatMap((claim) => (claim.payoutDestination ? [claim.payoutDestination] : [])),
  );
  const claimantsToDestinations =
    destinations.length === 0
      ? []
      : await firstClaimsOfCustomers(em, 'c.payout_destination', destinations, before);

  return {
    orders: orderById,
    claimantClaims,
    evidenceHashes,
    reusedEvidence,
    recentClaimsOnProduct: await recentClaimsOnProducts(
      em,
      claims,
      policy.productClaims.windowDays,
      productClaimsCountedUpTo(policy),
    ),
    claimsOnOrders,
    firstOrders: new Map([
      ...(await firstOrderDates(em, claimants, latestFiling)),
      ...customersAtAddresses.map((customer) => [customer.customerId, customer.firstOrderAt] as const),
    ]),
    customersAtAddresses,
    claimantsAtAddresses,
    claimantsToDestinations,
    descriptionMatches: await similarDescriptions(em, claims, policy.similarDescription),
  };
}

/** One claim's facts, cut from the history read for all of them. */
function factsOf(claim: Claim, history: History, policy: ScreeningPolicy): ScreeningFacts {
  const customerId = claim.customer.id;
  const earlier = (other: { id: number }) => other.id < claim.id;
  // One row a customer and key: a customer counts when its first claim there came before this one.
  const otherEarlierClaimants = (firstClaims: readonly FirstClaim[], key: string) =>
    firstClaims.filter(
      (other) => other.key === key && other.customerId !== customerId && other.firstClaimId < claim.id,
    ).length;
  const order = history.orders.get(claim.order.id)!;
  const hashes = new Set(history.evidenceHashes.get(claim.id) ?? []);
  const firstOrderBy = (customer: number) => {
    const first = history.firstOrders.get(customer);
    return first && first <= claim.filedAt ? first : null;
  };

  let newAccountsAtAddress = 0;
  let otherClaimantsAtAddress = 0;
  const key = order.deliveryAddressKey;
  if (key) {
    const windowStart = claim.filedAt.getTime() - policy.sharedAddressAccounts.windowDays * DAY;
    const neighbours = distinct(
      history.customersAtAddresses
        .filter(
          (other) =>
            other.deliveryAddressKey === key &&
            other.customerId !== customerId &&
            other.firstOrderHereAt <= claim.filedAt,
        )
        .map((other) => other.customerId),
    );
    newAccountsAtAddress = neighbours.filter(
      (customer) => firstOrderBy(customer)!.getTime() >= windowStart,
    ).length;
    otherClaimantsAtAddress = otherEarlierClaimants(history.claimantsAtAddresses, key);
  }

  return {
    claim: {
      filedAt: claim.filedAt,
      incidentDate: claim.incidentDate,
      amountMinor: claim.claimedAmountMinor,
      currency: claim.currency,
      coversPersonalInjury: claim.coversPersonalInjury,
    },
    order: { priceMinor: order.priceMinor, deliveredAt: order.deliveredAt },
    earlierClaimsOfClaimant: history.claimantClaims
      .filter((other) => other.customerId === customerId && earlier(other))
      .map((other) => ({ filedAt: other.filedAt, denied: other.status === ClaimStatus.DENIED })),
    reusedEvidence: history.reusedEvidence
      .filter((item) => hashes.has(item.contentHash) && earlier(item.claim))
      .map((item) => ({
        contentHash: item.contentHash,
        claimNumber: claimNumberOf(item.claim),
        sameCustomer: item.claim.customerId === customerId,
      })),
    similarDescriptions: history.descriptionMatches.get(claim.id) ?? [],
    claimantFirstOrderAt: firstOrderBy(customerId),
    newAccountsAtAddress,
    otherClaimantsAtAddress,
    otherClaimantsWithPayoutDestination: claim.payoutDestination
      ? otherEarlierClaimants(history.claimantsToDestinations, claim.payoutDestination)
      : 0,
    recentClaimsOnProduct: history.recentClaimsOnProduct.get(claim.id) ?? 0,
    paidDuplicates: history.claimsOnOrders
      .filter((other) => other.orderId === claim.order.id && other.id !== claim.id)
      .filter(
        (other) =>
          (claim.coversPropertyDamage && other.coversPropertyDamage) ||
          (claim.coversPersonalInjury && other.coversPersonalInjury),
      )
      .map(claimNumberOf),
  };
}

/**
 * For each claim, the earlier claims on its product within the policy's window, counted up to
 * `upTo`. A product under a recall may have hundreds of thousands of claims in the window, so they
 * are counted once a product, not once a claim, and only as far as `upTo`: those before the
 * batch's first claim on the product from the latest window start of its claims. What each claim's
 * own window adds lies in two thin slices, read as rows and counted here: claims filed between the
 * earliest and the latest window start of the batch's claims, and claims since the batch's first
 * (through the product's filing-time index and the primary key). Three parts a product, however
 * many claims the batch has on it: the statement's planning cost, which grew with every claim's
 * own subqueries, stays flat. Written as SQL since the query builder would build each part
 * separately.
 */
async function recentClaimsOnProducts(
  em: EntityManager,
  claims: readonly Claim[],
  windowDays: number,
  upTo: number,
): Promise<Map<number, number>> {
  const platform = em.getPlatform();
  const windowStart = (claim: Claim) => claim.filedAt.getTime() - windowDays * DAY;
  const parts: string[] = [];
  const parameters: unknown[] = [];
  const byProduct = groupBy(
    claims,
    (claim) => claim.product.id,
    (claim) => claim,
  );
  for (const [productId, productClaims] of byProduct) {
    const ids = productClaims.map((claim) => claim.id);
    const starts = productClaims.map(windowStart);
    const [firstId, lastId] = [Math.min(...ids), Math.max(...ids)];
    const [earliestStart, latestStart] = [Math.min(...starts), Math.max(...starts)].map((time) =>
      platform.processDateProperty(new Date(time)),
    );
    parts.push(
      'select ? as product_id, count(*) as before_batch, null as id, null as filed_at from (select 1 from claim where product_id = ? and filed_at >= ? and id < ? limit ?) as counted',
      'select product_id, null, id, filed_at from claim where product_id = ? and filed_at >= ? and filed_at < ? and id < ?',
      'select product_id, null, id, filed_at from claim where id >= ? and id < ? and product_id = ? and filed_at >= ?',
    );
    parameters.push(
      productId,
      productId,
      latestStart,
      firstId,
      upTo,
      productId,
      earliestStart,
      latestStart,
      firstId,
      firstId,
      lastId,
      productId,
      earliestStart,
    );
  }
  const rows = await rowsOf<{
    product_id: number | string;
    before_batch: number | string | null;
    id: number | string | null;
    filed_at: DateValue | null;
  }>(em, parts.join(' union all '), parameters);
  const beforeBatch = new Map(
    rows
      .filter((row) => row.before_batch !== null)
      .map((row) => [Number(row.product_id), Number(row.before_batch)]),
  );
  const slices = groupBy(
    rows.filter((row) => row.before_batch === null),
    (row) => Number(row.product_id),
    (row) => ({ id: Number(row.id), filedAt: new Date(row.filed_at!).getTime() }),
  );
  return new Map(
    claims.map((claim) => {
      const start = windowStart(claim);
      const inOwnWindow = (slices.get(claim.product.id) ?? []).filter(
        (other) => other.id < claim.id && other.filedAt >= start,
      ).length;
      return [claim.id, Math.min(upTo, beforeBatch.get(claim.product.id)! + inOwnWindow)];
    }),
  );
}

/**
 * Earlier claims of other customers sharing a signature band with a claim, kept when truly alike;
 * by claim, for the claims whose description is long enough to compare.
 *
 * Boilerplate text can make hundreds of earlier claims candidates of every claim of a batch, so
 * the band rows are read as plain rows (twenty a candidate, no entities made of them), indexed by
 * band once, and each candidate's shingles are worked out once for the whole batch.
 */
async function similarDescriptions(
  em: EntityManager,
  claims: readonly Claim[],
  { minSimilarity, minWords }: ScreeningPolicy['similarDescription'],
): Promise<DescriptionMatches> {
  const matches: DescriptionMatches = new Map();
  const compared = claims.filter((claim) => normalisedWords(claim.description).length >= minWords);
  if (compared.length === 0) return matches;
  // A claim's own bands are those its filing wrote: worked out again from its description rather
  // than read back (the table is keyed by band alone).
  const shinglesOf = new Map(compared.map((claim) => [claim.id, shingles(claim.description)]));
  const bandsOf = new Map([...shinglesOf].map(([id, own]) => [id, bandsOfShingles(own)]));
  // Written as SQL: a batch looks up a thousand bands, and the query builder's processing of
  // each value of the list cost more than the lookup itself. The batch's own claims are left out:
  // each band would find its own claim first, while what they hold is in memory already. Who filed
  // a candidate is read with its description, below: joining claim here let PostgreSQL hash the
  // whole claim table for a batch.
  const bands = distinct([...bandsOf.values()].flat());
  const bandRows = [
    ...(await claimsInBands(
      em,
      bands,
      Math.max(...compared.map((claim) => claim.id)),
      claims.map((claim) => claim.id),
    )),
    ...compared.flatMap((claim) => bandsOf.get(claim.id)!.map((band) => ({ band, claim_id: claim.id }))),
  ];
  const claimsByBand = groupBy(
    bandRows,
    (row) => row.band,
    (row) => row.claim_id,
  );
  const candidatesOf = new Map<number, Set<number>>();
  for (const claim of compared) {
    const ids = new Set<number>();
    for (const band of bandsOf.get(claim.id)!) {
      for (const id of claimsByBand.get(band) ?? []) if (id < claim.id) ids.add(id);
    }
    if (ids.size > 0) candidatesOf.set(claim.id, ids);
  }
  const everyCandidate = new Set([...candidatesOf.values()].flatMap((candidates) => [...candidates]));
  if (everyCandidate.size === 0) return matches;
  const inBatch = compared.filter((claim) => everyCandidate.has(claim.id));
  const ids = [...everyCandidate].filter((id) => !shinglesOf.has(id));
  const others =
    ids.length === 0
      ? []
      : await rowsOf<{ id: number; filed_at: DateValue; customer_id: number; description: string }>(
          em,
          `select id, filed_at, customer_id, description from claim where id in (${placeholders(ids)})`,
          ids,
        );
  const comparable = [
    ...others
      .filter((other) => normalisedWords(other.description).length >= minWords)
      .map((other) => ({
        claimNumber: claimNumberOf({ id: other.id, filedAt: new Date(other.filed_at) }),
        id: other.id,
        customerId: other.customer_id,
        shingles: shingles(other.description),
      })),
    ...inBatch.map((claim) => ({
      claimNumber: claimNumberOf(claim),
      id: claim.id,
      customerId: claim.customer.id,
      shingles: shinglesOf.get(claim.id)!,
    })),
  ].sort((a, b) => a.id - b.id);
  for (const claim of compared) {
    const candidateIds = candidatesOf.get(claim.id);
    if (!candidateIds) continue;
    const own = shinglesOf.get(claim.id)!;
    matches.set(
      claim.id,
      comparable
        .filter((other) => candidateIds.has(other.id) && other.customerId !== claim.customer.id)
        .map((other) => ({ claimNumber: other.claimNumber, similarity: jaccard(own, other.shingles) }))
        .filter((match) => match.similarity >= minSimilarity),
    );
  }
  return matches;
}

/**
 * The claims with an id below `before`, other than `excluded`, holding each of `bands`: one index
 * probe a band. On PostgreSQL each band is looked up by a subquery of its own. Given the bands as
 * an IN list, the planner costed a batch's thousand probes above reading the whole table while
 * the table was young (a few hundred thousand rows, most of them not yet vacuumed), and read it,
 * in parallel, for 25–50 ms against 3–5 ms; a subquery a band can only be an index probe. SQLite
 * probes an IN list's values one by one.
 */
async function claimsInBands(
  em: EntityManager,
  bands: string[],
  before: number,
  excluded: number[],
): Promise<{ band: string; claim_id: number }[]> {
  const platform = em.getPlatform();
  if (platform instanceof PostgreSqlPlatform) {
    return rowsOf(
      em,
      `select wanted.band, found.claim_id from unnest(${arrayValue(platform, bands, 'text')}) as wanted(band)
        cross join lateral unnest(array(
          select claim_id from claim_description_band
            where band = wanted.band and claim_id < ? and claim_id not in (${placeholders(excluded)})
        )) as found(claim_id)`,
      [before, ...excluded],
    );
  }
  return rowsOf(
    em,
    `select band, claim_id from claim_description_band
      where band in (${placeholders(bands)}) and claim_id < ? and claim_id not in (${placeholders(excluded)})`,
    [...bands, before, ...excluded],
  );
}

/**
 * The customers with orders delivered to `addressKeys` placed by `until`: for each address and
 * customer, their first order there and their first order at all. One row a customer and address,
 * however many orders: a parcel locker or an office takes thousands.
 */
async function customersOrderingTo(em: EntityManager, addressKeys: string[], until: Date) {
  const untilValue = em.getPlatform().processDateProperty(until);
  const rows = await rowsOf<{
    delivery_address_key: string;
    customer_id: number;
    first_order_here_at: DateValue;
    first_order_at: DateValue;
  }>(
    em,
    `select o.delivery_address_key, o.customer_id, min(o.purchased_at) as first_order_here_at,
        (select min(f.purchased_at) from customer_order f where f.customer_id = o.customer_id and f.purchased_at <= ?) as first_order_at
      from customer_order o
      where o.delivery_address_key in (${placeholders(addressKeys)}) and o.purchased_at <= ?
      group by o.delivery_address_key, o.customer_id`,
    [untilValue, ...addressKeys, untilValue],
  );
  return rows.map((row) => ({
    deliveryAddressKey: row.delivery_address_key,
    customerId: row.customer_id,
    firstOrderHereAt: new Date(row.first_order_here_at),
    firstOrderAt: new Date(row.first_order_at),
  }));
}

/** A customer's first claim under a key (an address, a payout destination). */
interface FirstClaim {
  key: string;
  customerId: number;
  firstClaimId: number;
}

/**
 * For each of `keys` (values of `keyColumn`, of the claim aliased `c` or its order `o`) and each
 * customer with claims under it before claim `before`, the customer's first claim: one row a
 * customer, however many claims a shared address or payout account gathered.
 */
async function firstClaimsOfCustomers(
  em: EntityManager,
  keyColumn: 'o.delivery_address_key' | 'c.payout_destination',
  keys: string[],
  before: number,
): Promise<FirstClaim[]> {
  const rows = await rowsOf<{ claim_key: string; customer_id: number; first_claim_id: number | string }>(
    em,
    `select ${keyColumn} as claim_key, c.customer_id, min(c.id) as first_claim_id
      from claim c join customer_order o on o.id = c.order_id
      where ${keyColumn} in (${placeholders(keys)}) and c.id < ?
      group by ${keyColumn}, c.customer_id`,
    [...keys, before],
  );
  return rows.map((row) => ({
    key: row.claim_key,
    customerId: row.customer_id,
    firstClaimId: Number(row.first_claim_id),
  }));
}

/** A date as an aggregate answers it: a Date from PostgreSQL, the stored value from SQLite. */
type DateValue = Date | string | number;

/**
 * Each customer's first order placed by `until`, by customer id: one row a customer, however many
 * orders it placed.
 */
async function firstOrderDates(
  em: EntityManager,
  customerIds: number[],
  until: Date,
): Promise<Map<number, Date>> {
  if (customerIds.length === 0) return new Map();
  const rows = await rowsOf<{ customer_id: number; first_order_at: DateValue }>(
    em,
    `select customer_id, min(purchased_at) as first_order_at from customer_order
      where customer_id in (${placeholders(customerIds)}) and purchased_at <= ?
      group by customer_id`,
    [...customerIds, em.getPlatform().processDateProperty(until)],
  );
  return new Map(rows.map((row) => [row.customer_id, new Date(row.first_order_at)]));
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function groupBy<Item, Key, Value>(
  items: readonly Item[],
  keyOf: (item: Item) => Key,
  valueOf: (item: Item) => Value,
): Map<Key, Value[]> {
  const groups = new Map<Key, Value[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(valueOf(item));
    else groups.set(keyOf(item), [valueOf(item)]);
  }
  return groups;
}
