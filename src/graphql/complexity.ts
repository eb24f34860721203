import type { ComplexityEstimator } from 'graphql-query-complexity';

/**
 * Query cost model: each field costs 1; a connection multiplies what one node costs by `first`;
 * a claim's own lists (timeline, evidence) count as a handful of items, since each is loaded for
 * all claims of a page in one batch.
 */
export const connectionComplexity: ComplexityEstimator = ({ args, childComplexity }) =>
  1 + Math.max(1, Number(args.first) || 1) * childComplexity;

export const CLAIM_LIST_ITEMS_ESTIMATE = 5;

export const claimListComplexity: ComplexityEstimator = ({ childComplexity }) =>
  1 + CLAIM_LIST_ITEMS_ESTIMATE * childComplexity;
