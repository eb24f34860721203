import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type ExecutionArgs, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import type http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { TokenVerifier } from '../auth/token-verifier';
import type { Authentication } from '../auth/viewer';
import type { Config } from '../config';
import { throttled } from '../errors';
import { type PrincipalRateLimiter, principalOf } from './principal-rate-limiter';
import { enforceCostLimit, queryCost, queryLimitRules } from './query-limits';
import { subscribeSharingResults } from './shared-subscription-results';
import type { RequestContext } from './request-context';

interface WebSocketOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  config: Config;
  verifier: TokenVerifier;
  rateLimiter: PrincipalRateLimiter;
  contextFor: (auth: Authentication, socket?: { close(code: number, reason: string): void }) => RequestContext;
  logger: Logger;
}

type ConnectionExtra = { socket: { close(code: number, reason: string): void }; auth?: Authentication };

/**
 * graphql-ws on the HTTP server's port and path. The token in `connectionParams.authorization`
 * authenticates the connection: missing or refused → close 4401. Operations pass the same
 * parse, validation and cost limits as over HTTP.
 */
export function attachWebSocketServer({ httpServer, schema, config, verifier, rateLimiter, contextFor, logger }: WebSocketOptions) {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.limits.maxBodyBytes });
  const rules = [...specifiedRules, ...queryLimitRules(config.limits)];
  const cleanup = useServer(
    {
      schema,
      subscribe: subscribeSharingResults,
      onConnect: async (ctx) => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        const auth = await verifier.authenticate(ctx.connectionParams?.authorization);
        if (!auth.viewer) {
          extra.socket.close(CloseCode.Unauthorized, auth.failure ? `Unauthorized: ${auth.failure}` : 'Unauthorized');
          return false;
        }
        extra.auth = auth;
        return true;
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const extra = ctx.extra as unknown as ConnectionExtra;
        const auth = extra.auth ?? { viewer: null };
        const decision = rateLimiter.take(principalOf(auth, undefined));
        if (!decision.allowed) return [throttled(decision.retryAfterSeconds)];
        let document;
        try {
          document = parse(payload.query, { maxTokens: config.limits.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        try {
          enforceCostLimit(queryCost(schema, document, payload.variables ?? undefined, payload.operationName), config.limits);
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
      },
    },
    wsServer,
  );
  return {
    close: async () => {
      await cleanup.dispose();
    },
  };
}
