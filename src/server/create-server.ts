import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/core';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { TokenVerifier } from '../auth/token-verifier';
import type { Authentication } from '../auth/viewer';
import type { Config } from '../config';
import type { Clock } from '../services/common/clock';
import { ClaimEventFeed } from '../services/events/claim-event-feed';
import { ClaimEventSequencer } from '../services/events/claim-event-sequencer';
import type { EventNotifier } from '../services/events/event-notifier';
import { InProcessNotifier } from '../services/events/in-process-notifier';
import { RedisNotifier } from '../services/events/redis-notifier';
import { JobProcessor } from '../services/jobs/job-processor';
import { ClaimEventNotifier } from '../services/notifications/claim-event-notifier';
import { EmailSender } from '../services/notifications/email-sender';
import { NotificationFeed } from '../services/notifications/notification-feed';
import { NotificationWorker } from '../services/notifications/notification-worker';
import { Services } from '../services/services';
import { WebhookDispatcher } from '../services/webhooks/webhook-dispatcher';
import { WebhookQueue } from '../services/webhooks/webhook-queue';
import { createErrorFormatter } from './format-error';
import { throttled } from '../errors';
import { httpErrorHandler } from './http-error-handler';
import { PrincipalRateLimiter, principalOf } from './principal-rate-limiter';
import { queryCostPlugin } from './query-cost.plugin';
import { compressAnswers, corsFor } from './browser-clients';
import { mountHealth } from './health';
import { Metrics } from './metrics';
import { requestScope, requestScopePlugin } from './request-scope';
import { schemaDisclosure } from './schema-disclosure';
import { subscriptionsOverWebSocketPlugin } from './subscriptions-over-websocket.plugin';
import { queryLimitGate } from './query-limit-gate';
import { queryLimitRules } from './query-limits';
import { type RequestContext, requestContext } from './request-context';
import { buildClaimgraphSchema } from './schema';
import { attachWebSocketServer } from './websocket';

export interface RunningServer {
  /** http://host:port/graphql — the same path serves WebSocket upgrades. */
  url: string;
  port: number;
  schema: GraphQLSchema;
  services: Services;
  /** Due work (screening, reminders, deadlines); runs in the background unless polling is off. */
  jobs: JobProcessor;
  /** Notifications made of new events, and emails sent; in the background unless polling is off. */
  notifications: NotificationWorker;
  /** Webhook deliveries; run in the background unless WEBHOOK_POLL_INTERVAL_MS is 0 (`runOnce` then). */
  webhooks: WebhookDispatcher;
  stop(): Promise<void>;
}

export interface ServerOptions {
  config: Config;
  orm: MikroORM;
  clock: Clock;
  logger: Logger;
}

/**
 * Starts HTTP and WebSocket on one port, path /graphql, with liveness on /healthz and readiness
 * on /readyz. `stop` drains: no new connections, requests in flight finish (within
 * `shutdownGraceMs`), subscriptions close with 1001, the background work ends.
 */
export async function startServer({ config, orm, clock, logger }: ServerOptions): Promise<RunningServer> {
  const schema = await buildClaimgraphSchema();
  const notifier: EventNotifier = config.events.redisUrl
    ? new RedisNotifier(config.events.redisUrl, logger)
    : new InProcessNotifier();
  const sequencer = new ClaimEventSequencer(notifier);
  orm.em.getEventManager().registerSubscriber(sequencer);
  const feed = new ClaimEventFeed(orm, notifier, logger, config.events.pollMs);
  await feed.start();
  const notificationFeed = new NotificationFeed(
    orm,
    notifier,
    logger,
    config.events.pollMs,
    config.events.subscriberBufferLimit,
  );
  await notificationFeed.start();
  const services = new Services(config, clock, feed, notificationFeed);
  const { smtpUrl, emailFrom, emailMaxAttempts } = config.notifications;
  const notifications = new NotificationWorker(
    new ClaimEventNotifier(orm, clock, services.notifications, config.workflow.appealWindowDays),
    smtpUrl
      ? new EmailSender(orm, clock, { smtpUrl, from: emailFrom, maxAttempts: emailMaxAttempts }, logger)
      : null,
    notifier,
    logger,
  );
  const jobs = new JobProcessor(
    orm,
    clock,
    services.claimRouting,
    services.insurancePolicies,
    logger,
    config.screening.batchMax,
  );
  const webhooks = new WebhookDispatcher({
    orm,
    clock,
    queue: new WebhookQueue(orm, clock),
    settings: config.webhooks,
    notifier,
    notifications: services.notifications,
    logger,
  });
  services.webhookEndpoints.onChange(() => webhooks.endpointsChanged());
  const verifier = new TokenVerifier(config.auth);
  const rateLimiter = new PrincipalRateLimiter(config.rateLimit);
  const contextFor = (
    auth: Authentication,
    socket?: { close(code: number, reason: string): void },
  ): RequestContext => requestContext(orm, services, auth, socket);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  const formatError = createErrorFormatter(logger);
  const ws = attachWebSocketServer({
    httpServer,
    schema,
    config,
    verifier,
    rateLimiter,
    contextFor,
    logger,
    formatError,
  });

  const disclosure = schemaDisclosure(config.production);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    logger,
    introspection: disclosure.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: !disclosure.suggestions,
    allowBatchedHttpRequests: false,
    // The process's own handlers drain and exit (main.ts): Apollo's would stop the server, then
    // raise the signal again, so the process exited 143 before the database was closed.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: queryLimitRules(config.limits),
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      {
        async serverWillStart() {
          return {
            drainServer: async () => {
              await Promise.all([
                ws.close(),
                jobs.stop(),
                notifications.stop(),
                webhooks.stop(),
                feed.stop(),
                notificationFeed.stop(),
              ]);
              await notifier.close();
            },
          };
        },
      },
      subscriptionsOverWebSocketPlugin<RequestContext>(),
      requestScopePlugin<RequestContext>(),
      queryCostPlugin<RequestContext>(config.limits),
      // The schema gives no cache hints, so the plugin only ever said `no-store` (set below
      // instead), yet it wrapped every field's resolver to look for hints.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  let stopping = false;
  mountHealth(app, { orm, notifier, stopping: () => stopping });
  const metrics = new Metrics({
    orm,
    clock,
    claimEvents: feed,
    notifications: notificationFeed,
    rateLimiter,
    sockets: ws.connections,
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.setHeader('content-type', metrics.registry.contentType);
      res.end(await metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  app.use(
    '/graphql',
    requestScope(logger, (scope, status, seconds) =>
      metrics.recordRequest(scope.rootField, scope.errorCodes, status, seconds),
    ),
    ...corsFor(config.corsOrigins),
    compressAnswers(),
    // Who is calling, and whether it may: before the body is even read.
    async (req: express.Request, res: express.Response, next: express.NextFunction) => {
      // Every answer is for its caller alone: no shared cache may keep it.
      res.setHeader('cache-control', 'no-store');
      try {
        const auth = await verifier.authenticate(req.headers.authorization);
        const decision = rateLimiter.take(principalOf(auth, req.socket.remoteAddress));
        if (!decision.allowed) {
          const error = throttled(decision.retryAfterSeconds);
          res.setHeader('retry-after', String(decision.retryAfterSeconds));
          res.status(429).json({
            errors: [
              {
                message: error.message,
                extensions: { code: 'THROTTLED', retryAfterSeconds: decision.retryAfterSeconds },
              },
            ],
          });
          return;
        }
        res.locals.auth = auth;
        next();
      } catch (error) {
        next(error);
      }
    },
    express.json({ limit: config.limits.maxBodyBytes }),
    queryLimitGate(schema, config.limits, formatError),
    expressMiddleware(apollo, {
      context: async ({ res }) => contextFor(res.locals.auth as Authentication),
    }),
  );
  app.use(httpErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  jobs.start(config.workflow.jobPollIntervalMs);
  notifications.start(config.notifications.pollMs);
  await webhooks.start();
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    schema,
    services,
    jobs,
    notifications,
    webhooks,
    stop: () => {
      stopping = true;
      return apollo.stop();
    },
  };
}
