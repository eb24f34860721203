import type { MikroORM } from '@mikro-orm/core';
import { type AbstractSqlConnection, raw, type SqlEntityManager } from '@mikro-orm/knex';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type JobKind, JobStatus, ScheduledJob } from '../entities/scheduled-job.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from '../entities/webhook-endpoint.entity';
import type { Clock } from '../services/common/clock';
import { latestPosition } from '../services/events/claim-event-reader';
import type { ClaimEventFeed } from '../services/events/claim-event-feed';
import type { NotificationFeed } from '../services/notifications/notification-feed';
import type { PrincipalRateLimiter } from './principal-rate-limiter';

/** What the metrics read when they are scraped. */
export interface MetricSources {
  orm: MikroORM;
  clock: Clock;
  claimEvents: ClaimEventFeed;
  notifications: NotificationFeed;
  rateLimiter: PrincipalRateLimiter;
  /** WebSocket connections open on this instance. */
  sockets: () => number;
}

interface KnexPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * Prometheus metrics of one instance, at `/metrics`: requests by operation and outcome, their
 * latency, the database pool, due work and how late it is, the live feeds' lag and subscribers,
 * rate-limit refusals, and webhook endpoints with deliveries due. Labels are names from the
 * schema and codes, never values a client chose.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly latency: Histogram<'operation'>;

  constructor(sources: MetricSources) {
    // Only in this instance's registry, never prom-client's global one: a process may run several.
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'claimgraph_' });
    this.requests = new Counter({
      name: 'claimgraph_http_requests_total',
      help: 'HTTP requests on /graphql by operation (its first root field) and outcome (OK or the first error code).',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'claimgraph_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer sent, by operation.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const pool = () => poolOf(sources.orm);
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_db_pool_connections',
        registers: [],
        help: 'Database pool connections by state (used, free, pending acquires).',
        labelNames: ['state'],
        collect() {
          const stats = pool();
          if (!stats) return;
          this.set({ state: 'used' }, stats.numUsed());
          this.set({ state: 'free' }, stats.numFree());
          this.set({ state: 'pending' }, stats.numPendingAcquires());
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_jobs_due',
        registers: [],
        help: 'Scheduled jobs due and not yet done, by kind.',
        labelNames: ['kind'],
        async collect() {
          this.reset();
          for (const job of await dueJobs(sources)) this.set({ kind: job.kind }, job.count);
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_jobs_lag_seconds',
        registers: [],
        help: 'How long the oldest due job of each kind has waited.',
        labelNames: ['kind'],
        async collect() {
          this.reset();
          for (const job of await dueJobs(sources)) this.set({ kind: job.kind }, job.waitedSeconds);
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_event_feed_lag_events',
        registers: [],
        help: 'Claim events committed but not yet handed to this instance’s live subscriptions (0 with none).',
        async collect() {
          if (sources.claimEvents.subscriberCount === 0) return this.set(0);
          const latest = await latestPosition(sources.orm.em.fork());
          this.set(Number(BigInt(latest) - BigInt(sources.claimEvents.readPosition)));
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_subscriptions',
        registers: [],
        help: 'Live subscriptions on this instance, by feed, and its open WebSocket connections.',
        labelNames: ['feed'],
        collect() {
          this.set({ feed: 'claim_events' }, sources.claimEvents.subscriberCount);
          this.set({ feed: 'notifications' }, sources.notifications.subscriberCount);
          this.set({ feed: 'sockets' }, sources.sockets());
        },
      }),
    );
    let refusalsSeen = 0;
    this.registry.registerMetric(
      new Counter({
        name: 'claimgraph_rate_limit_refusals_total',
        registers: [],
        help: 'Requests and subscriptions refused with THROTTLED on this instance.',
        collect() {
          this.inc(sources.rateLimiter.refusals - refusalsSeen);
          refusalsSeen = sources.rateLimiter.refusals;
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: 'claimgraph_webhook_endpoints_due',
        registers: [],
        help: 'Active webhook endpoints with a delivery due, and how long the longest-waiting one has waited.',
        labelNames: ['measure'],
        async collect() {
          const now = sources.clock.now();
          const em = sources.orm.em.fork();
          const due = { status: WebhookEndpointStatus.ACTIVE, nextAttemptAt: { $lte: now } };
          const oldest = await em.findOne(WebhookEndpoint, due, {
            orderBy: { nextAttemptAt: 'asc' },
            fields: ['nextAttemptAt'],
          });
          this.set({ measure: 'endpoints' }, oldest ? await em.count(WebhookEndpoint, due) : 0);
          this.set(
            { measure: 'lag_seconds' },
            oldest ? (now.getTime() - oldest.nextAttemptAt!.getTime()) / 1000 : 0,
          );
        },
      }),
    );
  }

  /** Counts one answered request; refused before GraphQL, its outcome is its HTTP status. */
  recordRequest(
    operation: string | undefined,
    codes: readonly string[],
    status: number,
    seconds: number,
  ): void {
    const name = operation ?? '-';
    const outcome = codes[0] ?? (status >= 400 ? `HTTP_${status}` : 'OK');
    this.requests.inc({ operation: name, outcome });
    this.latency.observe({ operation: name }, seconds);
  }
}

/** Per kind of job: how many are due and not done, and how long the oldest has waited. */
async function dueJobs(
  sources: MetricSources,
): Promise<{ kind: JobKind; count: number; waitedSeconds: number }[]> {
  const now = sources.clock.now();
  const em = sources.orm.em.fork();
  const due = { status: JobStatus.PENDING, dueAt: { $lte: now } };
  // Counted by the (status, due_at) index, and the oldest of each kind read alone.
  const counts = await (em as SqlEntityManager)
    .createQueryBuilder(ScheduledJob)
    .select(['kind', raw('count(*) as due')])
    .where(due)
    .groupBy('kind')
    .execute<{ kind: JobKind; due: number | string }[]>('all');
  return Promise.all(
    counts.map(async ({ kind, due: count }) => {
      const oldest = await em.findOne(
        ScheduledJob,
        { ...due, kind },
        { orderBy: { dueAt: 'asc' }, fields: ['dueAt'] },
      );
      return {
        kind,
        count: Number(count),
        waitedSeconds: oldest ? (now.getTime() - oldest.dueAt.getTime()) / 1000 : 0,
      };
    }),
  );
}

function poolOf(orm: MikroORM): KnexPool | null {
  try {
    const pool = (orm.em.getConnection() as AbstractSqlConnection).getKnex().client.pool as
      KnexPool | undefined;
    return pool && typeof pool.numUsed === 'function' ? pool : null;
  } catch {
    return null;
  }
}
