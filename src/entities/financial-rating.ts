/**
 * An insurer's financial strength rating on the AM Best scale, strongest first. GraphQL names
 * cannot hold "+" or "-", so A+ is A_PLUS and A- is A_MINUS; `label` gives the usual form.
 */
export enum FinancialRating {
  A_PLUS_PLUS = 'A_PLUS_PLUS',
  A_PLUS = 'A_PLUS',
  A = 'A',
  A_MINUS = 'A_MINUS',
  B_PLUS_PLUS = 'B_PLUS_PLUS',
  B_PLUS = 'B_PLUS',
  B = 'B',
  B_MINUS = 'B_MINUS',
  C_PLUS_PLUS = 'C_PLUS_PLUS',
  C_PLUS = 'C_PLUS',
  C = 'C',
}

const STRONGEST_FIRST = Object.values(FinancialRating);

/** Whether `rating` is `minimum` or stronger. */
export function ratingAtLeast(rating: FinancialRating, minimum: FinancialRating): boolean {
  return STRONGEST_FIRST.indexOf(rating) <= STRONGEST_FIRST.indexOf(minimum);
}

/** 0 for the strongest rating, increasing as ratings weaken: for ordering. */
export function ratingRank(rating: FinancialRating): number {
  return STRONGEST_FIRST.indexOf(rating);
}

/** "A+", "B++", "A-": the rating as insurers write it. */
export function ratingLabel(rating: FinancialRating): string {
  return rating.replace(/_PLUS/g, '+').replace('_MINUS', '-');
}

const RATINGS_BY_NAME = new Map<string, FinancialRating>(
  STRONGEST_FIRST.flatMap((rating) => [
    [rating, rating],
    [ratingLabel(rating), rating],
  ]),
);

/** Reads "A-", "a+" or "A_MINUS"; null when it is no rating. */
export function parseRating(text: string): FinancialRating | null {
  return RATINGS_BY_NAME.get(text.trim().toUpperCase()) ?? null;
}
