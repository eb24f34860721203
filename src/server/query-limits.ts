import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  type ArgumentNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  TypeInfo,
  ValidationContext,
  type ValidationRule,
  visit,
  visitInParallel,
  visitWithTypeInfo,
} from 'graphql';
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
 * The limit rules' errors for a parsed document, found before any other rule runs: graphql-js's
 * standard rules walk the whole document several times with type information, so a document over
 * the limits is refused at a fraction of what full validation of it costs. The limit rules count
 * selections, fragments and directives and read no types, so the walk goes without type
 * information too.
 */
export function limitErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const context = new ValidationContext(schema, document, new TypeInfo(schema), (error) =>
    errors.push(error),
  );
  visit(document, visitInParallel(rules.map((rule) => rule(context))));
  return errors;
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
  const estimate = () =>
    getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  // Parsed documents are cached and shared by the requests that send the same query, so a cost
  // that no variable can change is worked out once per document and operation.
  let costs = fixedCosts.get(document);
  if (costs === undefined) {
    costs = costDependsOnVariables(schema, document) ? null : new Map();
    fixedCosts.set(document, costs);
  }
  if (costs === null) return estimate();
  const key = operationName ?? '';
  let cost = costs.get(key);
  if (cost === undefined) costs.set(key, (cost = estimate()));
  return cost;
}

/** Per document, its operations' costs when no variable can change them, or null when one can. */
const fixedCosts = new WeakMap<DocumentNode, Map<string, number> | null>();

/**
 * Whether a variable reaches the cost: as an argument of a field whose cost is a function of its
 * arguments (a connection's `first`), or of a directive (`@include(if: $flag)` drops a subtree).
 */
function costDependsOnVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let depends = false;
  const usesVariable = (args: readonly ArgumentNode[] | undefined) =>
    (args ?? []).some((arg) => {
      let found = false;
      visit(arg.value, {
        Variable: () => {
          found = true;
        },
      });
      return found;
    });
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive(node) {
        if (usesVariable(node.arguments)) depends = true;
      },
      Field(node) {
        if (
          typeof typeInfo.getFieldDef()?.extensions.complexity === 'function' &&
          usesVariable(node.arguments)
        )
          depends = true;
      },
    }),
  );
  return depends;
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
