import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationContext, ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Config } from '../config';
import { queryTooComplex } from '../errors';
import { maxDirectivesRule } from './max-directives.rule';
import { checkVariables } from './variable-values';

export type QueryLimits = Config['limits'];

/**
 * Depth, alias and directive limits as validation rules, so they run before execution and are
 * cached with the document. Each rejection is reported with the code QUERY_TOO_COMPLEX.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const onReject = [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(queryTooComplex(error.message.replace(/^Syntax Error: /, '')));
    },
  ];
  const common = { exposeLimits: true, propagateOnRejection: false, onReject };
  return [
    maxDepthRule({ ...common, n: limits.maxDepth }),
    maxAliasesRule({ ...common, n: limits.maxAliases }),
    maxDirectivesRule(limits.maxDirectives),
  ] as ValidationRule[];
}

/**
 * The cost of one operation with its variables, by the field costs declared in the schema.
 * Invalid variables are refused here (BAD_USER_INPUT), the first place that reads them.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): number {
  checkVariables(schema, document, operationName, variables);
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** Throws QUERY_TOO_COMPLEX when the cost is over the limit; returns the cost otherwise. */
export function enforceCostLimit(cost: number, limits: QueryLimits): number {
  if (cost > limits.maxCost) {
    throw queryTooComplex(`Query cost ${cost} exceeds the limit of ${limits.maxCost}`, {
      cost: { requested: cost, limit: limits.maxCost },
    });
  }
  return cost;
}
