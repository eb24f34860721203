import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { UnstorableTextError } from '../db/postgresql-driver';
import { currentRequest } from './request-scope';

const TOKEN_LIMIT = /Document contains more th(?:an|at) \d+ tokens/;

/** "Expected value of type "Boolean!", found "my burns"." → "Expected value of type "Boolean!"." */
function withoutQuotedValue(message: string): string {
  return message
    .replace(/^(Expected value of type "[^"]+"), found [\s\S]*$/, '$1.')
    .replace(/^(\w+ cannot represent [\w -]+?)(: [\s\S]*)$/, '$1.');
}

function isClientStatus(error: GraphQLError): boolean {
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Shapes one error as a client sees it: Apollo's `formatError`, used by the WebSocket path too. */
export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Shapes every top-level error: known failures keep their code and message; anything unexpected
 * becomes INTERNAL_SERVER_ERROR with a generic message (the cause goes to the log only), so that
 * neither stack traces nor data from the database reach clients.
 */
export function createErrorFormatter(logger: Logger): ErrorFormatter {
  const shape = shapeError(logger);
  return (formatted, error) => {
    const shaped = shape(formatted, error);
    const request = currentRequest();
    if (request) request.errorCodes.push(String(shaped.extensions?.code));
    return shaped;
  };
}

function shapeError(logger: Logger): ErrorFormatter {
  return (formatted, error) => {
    const {
      stacktrace: _stack,
      http: _http,
      ...extensions
    } = (formatted.extensions ?? {}) as Record<string, unknown>;
    // Limit rules report during validation, where the server relabels errors; restore their code.
    if (error instanceof GraphQLError && error.originalError instanceof GraphQLError) {
      const { http: _innerHttp, ...inner } = error.originalError.extensions as Record<string, unknown>;
      if (inner.code === 'QUERY_TOO_COMPLEX') return { ...formatted, extensions: inner };
    }
    // The parser's token limit is a query limit like depth and aliases.
    if (extensions.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.test(formatted.message)) {
      return {
        message: formatted.message.replace(/^Syntax Error: /, ''),
        extensions: { code: 'QUERY_TOO_COMPLEX' },
      };
    }
    // Validation messages quote the literal a query wrote: keep what was expected, not what was written.
    if (extensions.code === 'GRAPHQL_VALIDATION_FAILED') {
      return { ...formatted, message: withoutQuotedValue(formatted.message), extensions };
    }
    const cause = unwrapResolverError(error);
    // Apollo refuses a request it cannot run (a persisted query whose hash does not match its
    // text, say) with an HTTP status but no code: the client's mistake, not a server fault.
    if (cause instanceof GraphQLError && cause.extensions.code === undefined && isClientStatus(cause)) {
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    if (cause instanceof UnstorableTextError) {
      return {
        message: cause.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    if (extensions.code === 'INTERNAL_SERVER_ERROR' || !(cause instanceof GraphQLError)) {
      logger.error({ err: cause, path: formatted.path }, 'unexpected error');
      // The request id finds the cause in the log.
      const requestId = currentRequest()?.requestId;
      return {
        message: 'Internal server error',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
      };
    }
    return { ...formatted, extensions };
  };
}
