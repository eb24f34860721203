import { ratingRank } from '../../entities/financial-rating';
import type { InsuranceProvider } from '../../entities/insurance-provider.entity';
import type { InsuranceQuote } from '../../entities/insurance-quote.entity';
import { badUserInput } from '../../errors';
import {
  decodeCursorJson,
  encodeCursorJson,
  type KeysetPage,
  type SortDirection,
} from '../common/keyset-pagination';

export enum QuoteSortField {
  PREMIUM = 'PREMIUM',
  DEDUCTIBLE = 'DEDUCTIBLE',
  PER_OCCURRENCE_LIMIT = 'PER_OCCURRENCE_LIMIT',
  AGGREGATE_LIMIT = 'AGGREGATE_LIMIT',
  /** The insurer's financial strength; ascending is strongest first. */
  RATING = 'RATING',
}

/** A quote with what ordering and filtering read, worked out once per request. */
export interface RankedQuote {
  quote: InsuranceQuote;
  provider: InsuranceProvider;
}

function sortValue(field: QuoteSortField, { quote, provider }: RankedQuote): bigint | null {
  switch (field) {
    case QuoteSortField.PREMIUM:
      return quote.annualPremiumMinor ?? null;
    case QuoteSortField.DEDUCTIBLE:
      return quote.deductibleMinor ?? null;
    case QuoteSortField.PER_OCCURRENCE_LIMIT:
      return quote.perOccurrenceLimitMinor ?? null;
    case QuoteSortField.AGGREGATE_LIMIT:
      return quote.aggregateLimitMinor ?? null;
    case QuoteSortField.RATING:
      return provider.financialRating ? BigInt(ratingRank(provider.financialRating)) : null;
  }
}

/**
 * Orders the quotes of one request and cuts a page after a cursor. A request holds a few quotes per
 * provider in the network, so they are ordered in memory, where the requirement checks and the
 * expiry (both worked out, not stored) can be filtered on. Quotes without the value (pending or
 * declined) come last; the id breaks ties. The cursor carries the ordering, the value and the id.
 */
export function pageOfQuotes(
  ranked: RankedQuote[],
  order: { field: QuoteSortField; direction: SortDirection },
  args: { first: number; after?: string | null },
): KeysetPage<InsuranceQuote> {
  const sortKey = `QUOTES:${order.field}:${order.direction}`;
  const sign = order.direction === 'ASC' ? 1 : -1;
  const key = (item: RankedQuote) => ({ value: sortValue(order.field, item), id: item.quote.id });
  const compare = (
    a: { value: bigint | null; id: number },
    b: { value: bigint | null; id: number },
  ): number => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return a.value < b.value ? -sign : sign;
    }
    return a.id - b.id;
  };
  const sorted = [...ranked].sort((a, b) => compare(key(a), key(b)));
  let start = 0;
  if (args.after != null) {
    const after = decodeQuoteCursor(args.after, sortKey);
    start = sorted.findIndex((item) => compare(key(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + args.first);
  const cursorOf = (quote: InsuranceQuote) => {
    const { value, id } = key(sorted.find((item) => item.quote === quote)!);
    return encodeCursorJson([sortKey, value === null ? null : value.toString(), id]);
  };
  return {
    items: page.map((item) => item.quote),
    cursorOf,
    hasNextPage: start + args.first < sorted.length,
    hasPreviousPage: start > 0,
    count: async () => sorted.length,
  };
}

function decodeQuoteCursor(cursor: string, sortKey: string): { value: bigint | null; id: number } {
  const parsed = decodeCursorJson(cursor);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sortKey ||
    !(parsed[1] === null || (typeof parsed[1] === 'string' && /^\d{1,30}$/.test(parsed[1]))) ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw badUserInput('after is not a cursor of this ordering', 'after');
  }
  return { value: parsed[1] === null ? null : BigInt(parsed[1]), id: parsed[2] as number };
}
