import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type GraphQLError, type GraphQLSchema, parse } from 'graphql';
import type { ErrorFormatter } from './format-error';
import { limitErrors, type QueryLimits, queryLimitRules } from './query-limits';

/** Query texts remembered as within the limits, and the longest text remembered. */
const REMEMBERED_TEXTS = 1_000;
const REMEMBERED_TEXT_MAX_LENGTH = 10_000;

/**
 * Refuses a query over the depth, alias or directive limits before Apollo sees it. Apollo runs the
 * limit rules in the same validation pass as graphql-js's standard rules, so an over-limit
 * document was refused only after all of them had walked it: a query of 200 aliases cost several
 * times a valid request to refuse, which makes the refusal itself a lever for flooding the server.
 *
 * The limit rules stay in Apollo's validation as well, so every document it runs (a persisted
 * query sent by hash, say) is held to them; this gate only makes refusing cheap. Texts that pass
 * are remembered so that a client's recurring operations are parsed here once, not per request;
 * a text that does not parse goes on to Apollo, which reports syntax errors and the token limit.
 */
export function queryLimitGate(
  schema: GraphQLSchema,
  limits: QueryLimits,
  formatError: ErrorFormatter,
): RequestHandler {
  const rules = queryLimitRules(limits);
  const passed = new Set<string>();
  return (req: Request, res: Response, next: NextFunction) => {
    const query: unknown =
      req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || passed.has(query)) return next();
    let errors: GraphQLError[];
    try {
      errors = limitErrors(schema, parse(query, { maxTokens: limits.maxTokens }), rules);
    } catch {
      return next();
    }
    if (errors.length === 0) {
      if (query.length <= REMEMBERED_TEXT_MAX_LENGTH) {
        if (passed.size >= REMEMBERED_TEXTS) passed.delete(passed.values().next().value!);
        passed.add(query);
      }
      return next();
    }
    res.status(400).setHeader('cache-control', 'no-store');
    res.json({ errors: errors.map((error) => formatError(error.toJSON(), error)) });
  };
}
