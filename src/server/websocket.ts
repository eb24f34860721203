import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type http from 'node:http';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { TokenVerifier } from '../auth/token-verifier';
import type { Authentication } from '../auth/viewer';
import type { Config } from '../config';
import { throttled } from '../errors';
import type { ErrorFormatter } from './format-error';
import { type PrincipalRateLimiter, principalOf } from './principal-rate-limiter';
import { enforceCostLimit, limitErrors, queryCost, queryLimitRules } from './query-limits';
import { disclosureRules, schemaDisclosure, withoutSuggestion } from './schema-disclosure';
import { subscribeSharingResults } from './shared-subscription-results';
import { PrincipalSockets, TOO_MANY_CONNECTIONS_CLOSE_CODE, tooManySubscriptions } from './socket-limits';
import type { RequestContext } from './request-context';

interface WebSocketOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  config: Config;
  verifier: TokenVerifier;
  rateLimiter: PrincipalRateLimiter;
  contextFor: (
    auth: Authentication,
    socket?: { close(code: number, reason: string): void },
  ) => RequestContext;
  logger: Logger;
  /** The same shaping as HTTP responses' errors get. */
  formatError: ErrorFormatter;
}

type ConnectionExtra = {
  socket: WebSocket;
  auth?: Authentication;
  /** Set once the connection is counted against its principal's sockets. */
  principal?: string;
};

/**
 * graphql-ws on the HTTP server's port and path. The token in `connectionParams.authorization`
 * authenticates the connection: missing or refused → close 4401. Operations pass the same
 * parse, validation and cost limits as over HTTP, disclose as much of the schema as HTTP does,
 * and their errors are shaped as HTTP's are.
 */
export function attachWebSocketServer({
  httpServer,
  schema,
  config,
  verifier,
  rateLimiter,
  contextFor,
  logger,
  formatError,
}: WebSocketOptions) {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: config.limits.maxBodyBytes,
  });
  const limitRules = queryLimitRules(config.limits);
  const sockets = new PrincipalSockets(config.limits.maxSocketsPerPrincipal);
  const disclosure = schemaDisclosure(config.production);
  const validationRules = [...specifiedRules, ...disclosureRules(disclosure)];
  const cleanup = useServer(
    {
      schema,
      subscribe: subscribeSharingResults,
      onConnect: async (ctx) => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        const auth = await verifier.authenticate(ctx.connectionParams?.authorization);
        if (!auth.viewer) {
          extra.socket.close(
            CloseCode.Unauthorized,
            auth.failure ? `Unauthorized: ${auth.failure}` : 'Unauthorized',
          );
          return false;
        }
        // Gone while its token was checked: onClose has run already and would not count it out.
        if (extra.socket.readyState !== WebSocket.OPEN) return false;
        const principal = principalOf(auth, undefined);
        if (!sockets.admit(principal)) {
          extra.socket.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, sockets.refusalReason());
          return false;
        }
        extra.auth = auth;
        extra.principal = principal;
        return true;
      },
      onClose: (ctx) => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        if (extra.principal) sockets.release(extra.principal);
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        const auth = extra.auth ?? { viewer: null };
        const decision = rateLimiter.take(principalOf(auth, undefined));
        if (!decision.allowed) return [throttled(decision.retryAfterSeconds)];
        // graphql-ws lists this operation among the socket's from the moment it arrives.
        if (Object.keys(ctx.subscriptions).length > config.limits.maxOperationsPerSocket) {
          return [tooManySubscriptions(config.limits.maxOperationsPerSocket)];
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: config.limits.maxTokens });
        } catch (error) {
          return labelled(
            [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')],
            'GRAPHQL_PARSE_FAILED',
          );
        }
        // The limits first, as over HTTP: an over-limit document is refused before the standard
        // rules walk all of it.
        const overLimits = limitErrors(schema, document, limitRules);
        if (overLimits.length > 0) return overLimits;
        const errors = validate(schema, document, validationRules);
        if (errors.length > 0) {
          return labelled(
            errors.map((error) => withoutSuggestion(error, disclosure)),
            'GRAPHQL_VALIDATION_FAILED',
          );
        }
        try {
          enforceCostLimit(
            queryCost(schema, document, payload.variables ?? undefined, payload.operationName),
            config.limits,
          );
        } catch (error) {
          return [error as GraphQLError];
        }
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: contextFor(auth, extra.socket),
        };
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ codes: errors.map((error) => error.extensions?.code) }, 'websocket operation failed');
        return errors.map((error) => formatError(error.toJSON(), error));
      },
      // Errors inside a result (a subscription refused by its resolver, say) are shaped too, so an
      // unexpected failure reaches the client as INTERNAL_SERVER_ERROR, its cause only in the log.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) }
          : undefined,
    },
    wsServer,
  );
  return {
    /** WebSocket connections open now. */
    connections: () => wsServer.clients.size,
    close: async () => {
      await cleanup.dispose();
    },
  };
}

/** Parse and validation failures with the codes Apollo gives them over HTTP. */
function labelled(
  errors: readonly GraphQLError[],
  code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED',
): GraphQLError[] {
  return errors.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        originalError: error,
        extensions: { ...error.extensions, code },
      }),
  );
}
