import { GraphQLError } from 'graphql';

/**
 * Top-level errors: failures that are not the caller's input (those are userErrors in payloads).
 * Each carries a stable `extensions.code`; messages never include request data.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'QUERY_TOO_COMPLEX'
  | 'CONFLICT'
  | 'THROTTLED'
  | 'INTERNAL_SERVER_ERROR';

export function unauthenticated(reason?: string): GraphQLError {
  return new GraphQLError(
    reason ? `Not authenticated: ${reason}` : 'Not authenticated: a bearer token is required',
    {
      extensions: { code: 'UNAUTHENTICATED' },
    },
  );
}

export function forbidden(): GraphQLError {
  return new GraphQLError('Not allowed for this role', { extensions: { code: 'FORBIDDEN' } });
}

export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) },
  });
}

export function queryTooComplex(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'QUERY_TOO_COMPLEX', ...details, http: { status: 400 } },
  });
}

/** Too many requests from one principal: try again after `retryAfterSeconds`. */
export function throttled(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests: retry after ${retryAfterSeconds} s`, {
    extensions: { code: 'THROTTLED', retryAfterSeconds, http: { status: 429 } },
  });
}
