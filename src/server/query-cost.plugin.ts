import type { ApolloServerPlugin } from '@apollo/server';
import { enforceCostLimit, type QueryLimits, queryCost } from './query-limits';

/**
 * Computes each operation's cost before execution, refuses it over the limit, and reports the
 * cost in `extensions.cost` of the response.
 */
export function queryCostPlugin<T extends object>(limits: QueryLimits): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          cost = enforceCostLimit(queryCost(schema, document, request.variables, operationName), limits);
        },
        async willSendResponse({ response }) {
          if (cost === undefined || response.body.kind !== 'single') return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            cost: { requested: cost, limit: limits.maxCost },
          };
        },
      };
    },
  };
}
