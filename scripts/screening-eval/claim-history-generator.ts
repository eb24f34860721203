/**
 * A seeded generator of synthetic, labelled claim histories for evaluating screening. Three kinds
 * of claimant, each with the habits screening is meant to tell apart:
 * - HONEST: mostly established customers (orders over the years before), one claim now and then,
 *   amounts in proportion to the damage a product can do (which may be many times its price),
 *   some two-account households sharing an address, some products truly defective and claimed
 *   on by many customers.
 * - OPPORTUNIST: established customers who inflate amounts, claim again soon, or claim late.
 * - RING: groups of fresh accounts that order to two drop addresses, share payout accounts, reuse
 *   each other's photos and copy one story, each habit present only part of the time.
 * The same seed always gives the same history.
 */

export type ClaimantClass = 'HONEST' | 'OPPORTUNIST' | 'RING';

export interface GeneratedCustomer {
  ref: string;
  label: ClaimantClass;
}

export interface GeneratedOrder {
  ref: string;
  customerRef: string;
  productRef: string;
  priceMinor: bigint;
  purchasedAt: Date;
  deliveredAt: Date | null;
  deliveryAddress: string;
}

export interface GeneratedClaim {
  label: ClaimantClass;
  customerRef: string;
  orderRef: string;
  filedAt: Date;
  incidentDate: string;
  amountMinor: bigint;
  personalInjury: boolean;
  description: string;
  evidenceHashes: string[];
  payoutDestination: string | null;
}

export interface GeneratedProduct {
  ref: string;
  priceMinor: bigint;
  /** A defective product draws many honest claims. */
  defective: boolean;
}

export interface ClaimHistory {
  products: GeneratedProduct[];
  customers: GeneratedCustomer[];
  orders: GeneratedOrder[];
  /** In filing order. */
  claims: GeneratedClaim[];
}

export interface GeneratorOptions {
  seed: number;
  honestClaimants: number;
  opportunists: number;
  rings: number;
  /** First day of the simulated period; the period lasts `days`. */
  start: Date;
  days: number;
}

export const DEFAULT_GENERATOR_OPTIONS: GeneratorOptions = {
  seed: 20261122,
  honestClaimants: 1500,
  opportunists: 150,
  rings: 25,
  start: new Date('2025-01-01T00:00:00Z'),
  days: 540,
};

const DAY = 24 * 60 * 60 * 1000;

/** mulberry32: small, fast and good enough to make reproducible synthetic data. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    /** Log-normal around `median`, spread by `sigma` (natural log units). */
    logNormal: (median: number, sigma: number) => {
      const u = Math.max(next(), 1e-12);
      const v = next();
      return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    },
    hex: (length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}

type Random = ReturnType<typeof randomSource>;

const ITEMS = [
  'space heater',
  'phone charger',
  'power bank',
  'hair dryer',
  'kettle',
  'toaster',
  'desk lamp',
  'e-bike battery',
  'humidifier',
  'air fryer',
  'extension cord',
  'heated blanket',
];
const FAILURES = [
  'overheated',
  'caught fire',
  'sparked',
  'melted',
  'burst',
  'short-circuited',
  'started smoking',
  'leaked hot water',
  'exploded',
  'gave off flames',
  'went up in smoke',
  'fused to the socket',
];
const DAMAGE = [
  'scorched the wooden floor',
  'burned a hole in the sofa',
  'set the curtains alight',
  'damaged the kitchen counter',
  'ruined the carpet',
  'cracked the glass table',
  'blackened the wall',
  'destroyed a laptop beside it',
  'melted the plastic shelf',
  'stained the ceiling with soot',
  'burned through the rug',
  'warped the bedside table',
  'damaged my coat and bag',
  'left scorch marks on the worktop',
];
const CONTEXT = [
  'while charging overnight',
  'a few minutes after I switched it on',
  'while we were having dinner',
  'when my son plugged it in',
  'during normal use on the desk',
  'while nobody was in the room',
  'on the second day of use',
  'just after I unpacked it',
  'in the middle of the night',
  'as I was getting ready for work',
  'while it sat on the bathroom shelf',
  'when the power came back after a cut',
];
const AFTER = [
  'I had to call the fire brigade',
  'we put it out with a blanket',
  'the smell stayed for days',
  'the landlord wants the floor replaced',
  'I kept the unit and the receipt',
  'the repair quote is attached',
  'a neighbour saw the smoke',
  'the insurance assessor took photos',
  'my electrician says the wiring inside failed',
  'the shop would not take it back',
  'we had to air the flat for a week',
  'the smoke alarm woke the whole building',
];
const INJURY = [
  'burned my hand',
  'cut my fingers on the casing',
  'left a burn on my arm',
  'gave my daughter a burn on her leg',
  'singed my eyebrows',
  'gave me a shock that needed a doctor',
];
const OPENINGS = [
  '',
  'I am writing about the',
  'Last week my',
  'Our',
  'Hello, the',
  'My partner bought a',
  'On Sunday the',
];
const EXTRAS = [
  'It was plugged straight into the wall.',
  'We never dropped or opened it.',
  'It was only a few months old.',
  'The cable looked fine before this.',
  'I used the charger that came with it.',
  'It was on a hard surface away from anything.',
  'The label on it is now unreadable.',
  'There was a clicking noise before it happened.',
];
const STREETS = [
  'Elm',
  'Oak',
  'Maple',
  'Cedar',
  'Pine',
  'Birch',
  'Willow',
  'Ash',
  'Harbour',
  'Station',
  'Mill',
  'Church',
];
const CITIES = ['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Greenville', 'Milton'];

function address(random: Random): string {
  return `${random.int(1, 999)} ${random.pick(STREETS)} Street, Apt ${random.int(1, 60)}, ${random.pick(CITIES)} ${random.int(10000, 99999)}`;
}

function story(random: Random, item: string, injury: boolean): string {
  const opening = random.pick(OPENINGS);
  const subject = opening === '' ? `The ${item}` : `${opening} ${item}`;
  const after = random.pick(AFTER);
  const parts = [
    `${subject} ${random.pick(FAILURES)} ${random.pick(CONTEXT)} and ${random.pick(DAMAGE)}.`,
    injury ? `It also ${random.pick(INJURY)}.` : '',
    `${after[0].toUpperCase()}${after.slice(1)}.`,
    random.chance(0.6) ? random.pick(EXTRAS) : '',
    random.chance(0.3) ? `I paid ${random.int(20, 900)} to have it cleaned up.` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** A copy of a ring's script with a word or two changed, as members paste and touch it up. */
function touchedUp(random: Random, script: string): string {
  const words = script.split(' ');
  for (let edits = random.int(0, 2); edits > 0; edits--) {
    const at = random.int(0, words.length - 1);
    words[at] = random.chance(0.5) ? words[at].toUpperCase() : `${words[at]},`;
  }
  return words.join(' ');
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function minor(amount: number): bigint {
  return BigInt(Math.max(100, Math.round(amount * 100)));
}

export function generateClaimHistory(options: GeneratorOptions = DEFAULT_GENERATOR_OPTIONS): ClaimHistory {
  const random = randomSource(options.seed);
  const end = options.start.getTime() + options.days * DAY;
  const products: GeneratedProduct[] = Array.from({ length: 60 }, (_, i) => ({
    ref: `prod-${i}`,
    priceMinor: minor(random.logNormal(45, 0.8)),
    defective: i < 3,
  }));
  const customers: GeneratedCustomer[] = [];
  const orders: GeneratedOrder[] = [];
  const claims: GeneratedClaim[] = [];
  let orderCount = 0;

  const newOrder = (
    customerRef: string,
    product: GeneratedProduct,
    purchasedAt: Date,
    deliveryAddress: string,
    delivered = true,
  ) => {
    const order: GeneratedOrder = {
      ref: `ord-${++orderCount}`,
      customerRef,
      productRef: product.ref,
      priceMinor: product.priceMinor,
      purchasedAt,
      deliveredAt: delivered ? new Date(purchasedAt.getTime() + random.int(1, 6) * DAY) : null,
      deliveryAddress,
    };
    orders.push(order);
    return order;
  };
  const itemOf = (product: GeneratedProduct) => ITEMS[Number(product.ref.slice(5)) % ITEMS.length];
  const photos = (count: number) => Array.from({ length: count }, () => `sha256:${random.hex(64)}`);

  // Honest claimants: a claim with damage in proportion to what such a product can do.
  // Established customers have bought before: orders spread over the years before the period.
  const pastOrders = (customerRef: string, home: string) => {
    const count = random.chance(0.9) ? random.int(1, 6) : 0;
    for (let k = 0; k < count; k++) {
      newOrder(
        customerRef,
        random.pick(products),
        new Date(options.start.getTime() - random.int(30, 1000) * DAY),
        home,
      );
    }
  };
  /** Addresses with one account so far: a household has at most two. */
  const households: string[] = [];
  for (let i = 0; i < options.honestClaimants; i++) {
    const ref = `honest-${i}`;
    customers.push({ ref, label: 'HONEST' });
    // One in ten lives with another account holder (a partner ordering separately).
    const shared = households.length > 0 && random.chance(0.1);
    const home = shared ? households.splice(random.int(0, households.length - 1), 1)[0] : address(random);
    if (!shared) households.push(home);
    pastOrders(ref, home);
    const claimsToFile = random.chance(0.08) ? 2 : 1;
    let previousFiling = options.start.getTime();
    for (let c = 0; c < claimsToFile; c++) {
      const product = random.chance(0.25) ? products[random.int(0, 2)] : random.pick(products);
      const purchasedAt = new Date(random.int(previousFiling, end - 60 * DAY));
      const order = newOrder(ref, product, purchasedAt, home);
      const incident = new Date(
        order.deliveredAt!.getTime() + Math.min(random.logNormal(40, 1.1), 500) * DAY,
      );
      const filedAt = new Date(
        incident.getTime() + Math.min(random.logNormal(4, 1.2), 120) * DAY + random.int(0, DAY - 1),
      );
      if (filedAt.getTime() > end) continue;
      const injury = random.chance(0.1);
      const ratio = injury ? random.logNormal(20, 1.0) : random.logNormal(3, 0.9);
      claims.push({
        label: 'HONEST',
        customerRef: ref,
        orderRef: order.ref,
        filedAt,
        incidentDate: day(incident),
        amountMinor: minor((Number(product.priceMinor) / 100) * ratio),
        personalInjury: injury,
        description: story(random, itemOf(product), injury),
        evidenceHashes: photos(random.int(1, 3)),
        payoutDestination: random.chance(0.3) ? `ba_${random.hex(20)}` : null,
      });
      previousFiling = filedAt.getTime();
    }
  }

  // Opportunists: inflated amounts, quick repeat claims, late claims.
  for (let i = 0; i < options.opportunists; i++) {
    const ref = `opportunist-${i}`;
    customers.push({ ref, label: 'OPPORTUNIST' });
    const home = address(random);
    pastOrders(ref, home);
    const claimsToFile = random.chance(0.4) ? random.int(2, 4) : 1;
    let filing = random.int(options.start.getTime() + 30 * DAY, end - 90 * DAY);
    const destination = random.chance(0.3) ? `ba_${random.hex(20)}` : null;
    for (let c = 0; c < claimsToFile; c++) {
      const product = random.pick(products);
      const order = newOrder(
        ref,
        product,
        new Date(filing - random.int(20, 200) * DAY),
        home,
        random.chance(0.9),
      );
      const late = random.chance(0.25);
      const delivered = order.deliveredAt ?? new Date(order.purchasedAt.getTime() + 3 * DAY);
      const incident = new Date(
        Math.min(filing - (late ? random.int(200, 400) : random.int(1, 20)) * DAY, filing - DAY),
      );
      const incidentAfterPurchase = new Date(Math.max(incident.getTime(), order.purchasedAt.getTime()));
      const injury = random.chance(0.15);
      const ratio = injury ? random.logNormal(120, 0.8) : random.logNormal(30, 0.7);
      claims.push({
        label: 'OPPORTUNIST',
        customerRef: ref,
        orderRef: order.ref,
        filedAt: new Date(Math.max(filing, delivered.getTime() - DAY)),
        incidentDate: day(incidentAfterPurchase),
        amountMinor: minor((Number(product.priceMinor) / 100) * ratio),
        personalInjury: injury,
        description: story(random, itemOf(product), injury),
        evidenceHashes: photos(random.int(1, 2)),
        payoutDestination: destination,
      });
      filing += random.int(2, 25) * DAY;
    }
  }

  // Rings: several accounts working one script from shared addresses and accounts.
  for (let r = 0; r < options.rings; r++) {
    const members = random.int(3, 8);
    const dropAddresses = [address(random), address(random)];
    const payoutAccount = `ba_${random.hex(20)}`;
    const product = random.pick(products);
    const script = story(random, itemOf(product), false);
    const sharedPhotos = photos(3);
    let filing = random.int(options.start.getTime() + 60 * DAY, end - 60 * DAY);
    for (let m = 0; m < members; m++) {
      const ref = `ring-${r}-${m}`;
      customers.push({ ref, label: 'RING' });
      const home = random.chance(0.8) ? random.pick(dropAddresses) : address(random);
      const target = random.chance(0.7) ? product : random.pick(products);
      const order = newOrder(ref, target, new Date(filing - random.int(10, 60) * DAY), home);
      const incident = new Date(Math.max(order.deliveredAt!.getTime(), filing - random.int(1, 10) * DAY));
      const ownPhotos = photos(random.int(1, 2));
      claims.push({
        label: 'RING',
        customerRef: ref,
        orderRef: order.ref,
        filedAt: new Date(filing),
        incidentDate: day(incident),
        amountMinor: minor((Number(target.priceMinor) / 100) * random.logNormal(8, 0.7)),
        personalInjury: false,
        description: random.chance(0.7) ? touchedUp(random, script) : story(random, itemOf(target), false),
        evidenceHashes: random.chance(0.6) ? [random.pick(sharedPhotos), ...ownPhotos.slice(1)] : ownPhotos,
        payoutDestination: random.chance(0.6)
          ? payoutAccount
          : random.chance(0.3)
            ? `ba_${random.hex(20)}`
            : null,
      });
      filing += random.int(1, 6) * DAY + random.int(0, DAY - 1);
    }
  }

  claims.sort((a, b) => a.filedAt.getTime() - b.filedAt.getTime());
  return { products, customers, orders, claims };
}
