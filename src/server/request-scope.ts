import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Kind } from 'graphql';
import type { Logger } from 'pino';

/** One HTTP request as the logs follow it. */
export interface RequestScope {
  requestId: string;
  /** The `extensions.code` of every error its answer carries. */
  errorCodes: string[];
  /** The operation's first root field, once known: a name from the schema, so a bounded label. */
  rootField?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The request being served, where there is one (every log line made for it carries its id). */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/** A client's own request id is kept when it is a plain token; otherwise one is made. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(header: unknown): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Gives each request an id (the client's `x-request-id`, or a new one), echoes it in the answer's
 * `x-request-id`, runs the rest of the request in its scope, and writes one access log line when
 * the answer is sent: the operation's name, the status, the error codes and the time taken —
 * never variables or the query.
 */
export function requestScope(
  logger: Logger,
  answered: (scope: RequestScope, status: number, seconds: number) => void,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const scope: RequestScope = { requestId: requestIdOf(req.headers['x-request-id']), errorCodes: [] };
    res.setHeader('x-request-id', scope.requestId);
    const started = performance.now();
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      answered(scope, res.statusCode, seconds);
      const operationName = (req.body as { operationName?: unknown } | undefined)?.operationName;
      logger.info(
        {
          requestId: scope.requestId,
          method: req.method,
          status: res.statusCode,
          operation: typeof operationName === 'string' ? operationName.slice(0, 100) : null,
          codes: scope.errorCodes,
          ms: Math.round(seconds * 10_000) / 10,
        },
        'request',
      );
    });
    scopes.run(scope, next);
  };
}

/** Names the request's operation by its first root field once Apollo has resolved it. */
export function requestScopePlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          const request = currentRequest();
          const first = operation?.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
          if (request && first) request.rootField = first.name.value;
        },
      };
    },
  };
}
