import { NotificationCategory } from '../../entities/notification-category';
import type { NotificationService } from '../notifications/notification.service';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { lockedForUpdate, skippingLocked } from '../../db/row-lock';
import { placeholders, rowsOf } from '../../db/rows';
import { WebhookDelivery, WebhookDeliveryStatus } from '../../entities/webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from '../../entities/webhook-endpoint.entity';
import { type Clock, systemClock } from '../common/clock';
import { GroupCommit } from '../common/group-commit';
import type { EventNotifier } from '../events/event-notifier';
import { nextAttemptAfterFailure } from './retry-schedule';
import type { TargetPolicy } from './target-address';
import type { WebhookQueue } from './webhook-queue';
import { type AttemptOutcome, sendWebhook } from './webhook-sender';
import { type SigningSecrets, signatureHeaders } from './webhook-signer';

/** Deliveries made to one endpoint in one turn before its lease is given back for others' turns. */
const DELIVERIES_PER_TURN = 20;

type Lane = 'healthy' | 'degraded';

/** The delivery an endpoint sends next, with what sending it takes. */
/** An attempt to record, and whether its endpoint's turn goes on after it. */
interface Recording {
  endpointId: number;
  deliveryId: number;
  outcome: AttemptOutcome;
  goOn: boolean;
}

interface NextDelivery {
  deliveryId: number;
  webhookId: string;
  payload: string;
  url: string;
  secrets: SigningSecrets;
}

export interface DispatcherOptions {
  orm: MikroORM;
  clock: Clock;
  queue: WebhookQueue;
  settings: Config['webhooks'];
  notifier: EventNotifier;
  /** Tells an endpoint's owner that it was disabled for failing. */
  notifications: NotificationService;
  logger: Logger;
  /**
   * The clock of `webhook-timestamp`: receivers compare it with their own clock to refuse replays,
   * so it is the wall clock even where the service's clock is simulated (tests).
   */
  sendingClock?: Clock;
}

/**
 * Delivers webhooks: leases endpoints with a due delivery, sends each one's due deliveries one at
 * a time strictly in order, and gives the lease back.
 *
 * - **One sender per endpoint.** An endpoint is leased in a transaction that locks its row (and
 *   skips rows another instance holds, on PostgreSQL) and sets `leased_until` only when it is in
 *   the past; the transaction recording each attempt renews it, and it lasts longer than an
 *   attempt can (twice the timeout and 30 s more), so no two instances ever send to one endpoint
 *   at once. A holder that dies leaves its lease to expire; the delivery it was sending is still
 *   pending, and goes out again with the same `webhook-id` (at least once).
 * - **In order, per endpoint.** Only the endpoint's oldest pending delivery is ever sent. A
 *   failing one is retried with back-off (retry-schedule.ts) and holds back the endpoint's later
 *   deliveries until it succeeds or its retry window ends; other endpoints go on meanwhile.
 * - **One transaction per attempt, or fewer.** The transaction that records an attempt also takes
 *   the endpoint's next delivery; attempts that end while others are being recorded are recorded
 *   together (group commit), and the endpoints leased in one pass are leased together.
 * - **Lanes.** Healthy endpoints are served `concurrency` at a time; endpoints whose last attempt
 *   failed or was slow in a lane of their own, a quarter as wide, so that however many endpoints
 *   fail or hang, the healthy ones keep their slots and their latency.
 * - **Disabling.** An endpoint answering 410 Gone, or failing without a success for
 *   `disableAfterDays`, is disabled, and its owner is notified.
 *
 * It runs on the wake-up of every commit of claim events (the event feed's notifier) and every
 * `pollMs`, while active endpoints exist; `runOnce` drives it by hand (tests, pollMs 0).
 */
export class WebhookDispatcher {
  /** This instance's name on the leases it holds. */
  readonly holder = randomUUID();
  private readonly orm: MikroORM;
  private readonly clock: Clock;
  private readonly sendingClock: Clock;
  private readonly queue: WebhookQueue;
  private readonly settings: Config['webhooks'];
  private readonly notifier: EventNotifier;
  private readonly logger: Logger;
  private readonly policy: TargetPolicy;
  private readonly notifications: NotificationService;
  private readonly leaseMs: number;
  private readonly lanes: Record<Lane, { limit: number; busy: number }>;
  private readonly inFlight = new Map<number, Promise<void>>();
  private passing: Promise<void> | null = null;
  private passAgain = false;
  private fillAgain = false;
  /** Whether any active endpoint may exist: with none, commits cost no query here. */
  private endpointsExist = false;
  private attemptsMade = 0;
  private readonly recordings: GroupCommit<Recording, NextDelivery | null>;
  private stopping = false;
  /** Aborts the attempts in flight when the instance stops. */
  private readonly stopSignal = new AbortController();
  /** Whether it delivers by itself (wake-ups and poll), or only when `runOnce` is called. */
  private background = false;
  private stopWake?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(options: DispatcherOptions) {
    this.orm = options.orm;
    this.clock = options.clock;
    this.sendingClock = options.sendingClock ?? systemClock;
    this.queue = options.queue;
    this.settings = options.settings;
    this.notifier = options.notifier;
    this.notifications = options.notifications;
    this.logger = options.logger;
    this.policy = { httpsOnly: options.settings.httpsOnly, allowedHosts: options.settings.allowedHosts };
    this.leaseMs = 2 * options.settings.timeoutMs + 30_000;
    // Every attempt in flight listens for the instance stopping.
    setMaxListeners(0, this.stopSignal.signal);
    this.recordings = new GroupCommit({
      maxBatch: 100,
      maxInFlight: 1,
      // An endpoint has one attempt at a time anyway; its key keeps two apart all the same.
      conflictKeys: (recording) => [String(recording.endpointId)],
      write: (recordings) => this.recordAll(recordings),
    });
    this.lanes = {
      healthy: { limit: options.settings.concurrency, busy: 0 },
      degraded: { limit: Math.max(1, Math.ceil(options.settings.concurrency / 4)), busy: 0 },
    };
  }

  /** Starts delivering in the background (wake-ups and the poll); with `pollMs` 0, only `runOnce` delivers. */
  async start(): Promise<void> {
    if (this.settings.pollMs <= 0) return;
    this.background = true;
    await this.refreshEndpoints();
    this.stopWake = this.notifier.onWake(() => this.kick());
    this.timer = setInterval(() => {
      void this.refreshEndpoints()
        .then(() => this.kick())
        .catch((error) => this.logger.error({ err: error }, 'looking for webhook endpoints failed'));
    }, this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.stopWake?.();
    clearInterval(this.timer);
    await this.passing;
    await Promise.all(this.inFlight.values());
  }

  /** An endpoint was created, enabled or given a delivery here: deliver without waiting for the poll. */
  endpointsChanged(): void {
    this.endpointsExist = true;
    this.kick();
  }

  /**
   * Turns every committed event into deliveries and makes every attempt due now, until none is
   * left (the lanes still bound how many endpoints are served at once). Answers the attempts made.
   */
  async runOnce(): Promise<number> {
    const before = this.attemptsMade;
    for (;;) {
      const started = await this.pass();
      const busy = [...this.inFlight.values()];
      if (this.passing) busy.push(this.passing);
      if (started === 0 && busy.length === 0) return this.attemptsMade - before;
      await Promise.all(busy);
    }
  }

  private async refreshEndpoints(): Promise<void> {
    const count = await this.orm.em.fork().count(WebhookEndpoint, { status: WebhookEndpointStatus.ACTIVE });
    this.endpointsExist = count > 0;
  }

  /**
   * Runs a pass soon; a call during a pass makes it go round once more. `fill`: events may have
   * been committed, so turn them into deliveries first (a freed lane slot needs no such look).
   */
  private kick(fill = true): void {
    if (!this.background || this.stopping || !this.endpointsExist) return;
    if (fill) this.fillAgain = true;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = (async () => {
      do {
        this.passAgain = false;
        const filling = this.fillAgain;
        this.fillAgain = false;
        await this.pass(filling);
      } while (this.passAgain && !this.stopping);
    })()
      .catch((error) => this.logger.error({ err: error }, 'webhook dispatch failed'))
      .finally(() => {
        this.passing = null;
      });
  }

  /**
   * Makes deliveries of new events (when `fill`), then leases due endpoints for the free slots of
   * each lane and starts serving them; answers how many were started.
   */
  private async pass(fill = true): Promise<number> {
    if (this.stopping) return 0;
    if (fill) await this.queue.fill();
    let started = 0;
    for (const lane of ['healthy', 'degraded'] as const) {
      const free = this.lanes[lane].limit - this.lanes[lane].busy;
      if (free <= 0) continue;
      const now = this.clock.now();
      const due = await this.orm.em.fork().find(
        WebhookEndpoint,
        {
          status: WebhookEndpointStatus.ACTIVE,
          degraded: lane === 'degraded',
          nextAttemptAt: { $lte: now },
          $or: [{ leasedUntil: null }, { leasedUntil: { $lte: now } }],
        },
        { fields: ['id'], orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: free + this.inFlight.size },
      );
      const candidates = due
        .map((endpoint) => endpoint.id)
        .filter((id) => !this.inFlight.has(id))
        .slice(0, free);
      for (const [id, first] of await this.lease(candidates, now)) {
        this.lanes[lane].busy += 1;
        started += 1;
        const work = this.serve(id, first)
          .catch((error) => this.logger.error({ err: error, endpointId: id }, 'webhook delivery failed'))
          .finally(() => {
            this.lanes[lane].busy -= 1;
            this.inFlight.delete(id);
            // Its slot is free for another endpoint: look again.
            this.kick(false);
          });
        this.inFlight.set(id, work);
      }
    }
    return started;
  }

  /**
   * Leases those of `ids` whose lease is free and takes the first delivery of each, in one
   * transaction: the endpoint rows are locked (another instance's locked rows skipped, on
   * PostgreSQL), so of several instances racing for an endpoint one gets it. Answers the endpoints
   * leased with a delivery due; the others' leases are given back at once.
   */
  private async lease(ids: number[], now: Date): Promise<Map<number, NextDelivery>> {
    if (ids.length === 0) return new Map();
    return this.orm.em.fork().transactional(async (em) => {
      const free = await em.find(
        WebhookEndpoint,
        {
          id: { $in: ids },
          status: WebhookEndpointStatus.ACTIVE,
          $or: [{ leasedUntil: null }, { leasedUntil: { $lte: now } }],
        },
        { ...skippingLocked(em), orderBy: { id: 'asc' } },
      );
      const heads = await this.headsOf(
        em,
        free.map((endpoint) => endpoint.id),
      );
      const leased = new Map<number, NextDelivery>();
      for (const endpoint of free) {
        endpoint.leaseHolder = this.holder;
        const first = this.takeHead(endpoint, heads.get(endpoint.id), now, true);
        if (first) leased.set(endpoint.id, first);
      }
      return leased;
    });
  }

  /**
   * One turn of a leased endpoint: its due deliveries, one at a time in order, each attempt
   * recorded in one transaction that also takes the next delivery and renews the lease — or
   * gives the lease back when nothing more is due, the turn is over or the endpoint is disabled.
   */
  private async serve(endpointId: number, first: NextDelivery): Promise<void> {
    let next: NextDelivery | null = first;
    for (let turn = 1; next; turn += 1) {
      const outcome = await sendWebhook(
        {
          url: next.url,
          body: next.payload,
          headers: signatureHeaders(next.webhookId, this.sendingClock.now(), next.payload, next.secrets),
        },
        this.policy,
        this.settings.timeoutMs,
        this.stopSignal.signal,
      );
      this.attemptsMade += 1;
      // An attempt cut short by this instance stopping says nothing of the endpoint: it stays pending.
      if (this.stopping && !outcome.ok) {
        await this.release(endpointId);
        return;
      }
      next = await this.record(endpointId, next.deliveryId, outcome, turn < DELIVERIES_PER_TURN);
    }
  }

  /**
   * In the transaction that locked `endpoint` (still leased here), given its oldest pending
   * delivery: that delivery when it is due and `goOn`, the lease renewed; otherwise null, with the
   * endpoint's due time set from its oldest pending delivery and the lease given back. (Locked, so
   * that the due time cannot miss a delivery being made for it at the same moment.)
   */
  private takeHead(
    endpoint: WebhookEndpoint,
    head: WebhookDelivery | undefined,
    now: Date,
    goOn: boolean,
  ): NextDelivery | null {
    const active = endpoint.status === WebhookEndpointStatus.ACTIVE;
    if (!head || !active || head.nextAttemptAt > now || !goOn || this.stopping) {
      endpoint.nextAttemptAt = head?.nextAttemptAt ?? null;
      endpoint.leaseHolder = null;
      endpoint.leasedUntil = null;
      return null;
    }
    endpoint.leasedUntil = new Date(now.getTime() + this.leaseMs);
    const overlapping =
      endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now
        ? endpoint.previousSecret
        : null;
    return {
      deliveryId: head.id,
      webhookId: head.webhookId,
      payload: head.payload,
      url: endpoint.url,
      secrets: { current: endpoint.secret, previous: overlapping },
    };
  }

  /** The oldest pending delivery of each of the endpoints, in two queries whatever their number. */
  private async headsOf(em: EntityManager, endpointIds: number[]): Promise<Map<number, WebhookDelivery>> {
    if (endpointIds.length === 0) return new Map();
    const oldest = await rowsOf<{ id: number | string }>(
      em,
      `select min(id) as id from webhook_delivery where endpoint_id in (${placeholders(endpointIds)}) and status = ? group by endpoint_id`,
      [...endpointIds, WebhookDeliveryStatus.PENDING],
    );
    if (oldest.length === 0) return new Map();
    const heads = await em.find(WebhookDelivery, { id: { $in: oldest.map((row) => Number(row.id)) } });
    return new Map(heads.map((head) => [head.endpoint.id, head]));
  }

  private async release(endpointId: number): Promise<void> {
    await this.orm.em
      .fork()
      .nativeUpdate(
        WebhookEndpoint,
        { id: endpointId, leaseHolder: this.holder },
        { leaseHolder: null, leasedUntil: null },
      );
  }

  /**
   * Records an attempt and takes the endpoint's next delivery. Attempts that end while others are
   * being recorded are recorded together, in one transaction (group commit): a busy instance pays
   * one commit for many attempts rather than one each.
   */
  private record(
    endpointId: number,
    deliveryId: number,
    outcome: AttemptOutcome,
    goOn: boolean,
  ): Promise<NextDelivery | null> {
    return this.recordings.submit({ endpointId, deliveryId, outcome, goOn });
  }

  /**
   * Records attempts of different endpoints in one transaction, each endpoint row locked (in id
   * order) and only while this instance still holds its lease (an endpoint deleted meanwhile has
   * nothing left to record); takes each endpoint's next delivery in the same transaction.
   */
  private recordAll(attempts: Recording[]): Promise<(NextDelivery | null)[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const ids = attempts.map((attempt) => attempt.endpointId);
      const endpoints = await em.find(
        WebhookEndpoint,
        { id: { $in: ids } },
        { ...lockedForUpdate(em), orderBy: { id: 'asc' } },
      );
      const deliveries = await em.find(
        WebhookDelivery,
        { id: { $in: attempts.map((attempt) => attempt.deliveryId) } },
        { ...lockedForUpdate(em), orderBy: { id: 'asc' } },
      );
      const now = this.clock.now();
      const held = new Map(
        endpoints.filter((endpoint) => endpoint.leaseHolder === this.holder).map((e) => [e.id, e]),
      );
      for (const attempt of attempts) {
        const endpoint = held.get(attempt.endpointId);
        const delivery = deliveries.find((row) => row.id === attempt.deliveryId);
        if (endpoint && delivery?.status === WebhookDeliveryStatus.PENDING)
          await this.apply(em, endpoint, delivery, attempt.outcome, now);
      }
      // The head query below must see the deliveries' new state.
      await em.flush();
      const heads = await this.headsOf(em, [...held.keys()]);
      return attempts.map((attempt) => {
        const endpoint = held.get(attempt.endpointId);
        return endpoint ? this.takeHead(endpoint, heads.get(endpoint.id), now, attempt.goOn) : null;
      });
    });
  }

  /** What an attempt changes: the delivery's state and the endpoint's health (failing, disabled). */
  private async apply(
    em: EntityManager,
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    outcome: AttemptOutcome,
    now: Date,
  ): Promise<void> {
    delivery.attempts += 1;
    delivery.firstAttemptAt ??= now;
    delivery.lastAttemptAt = now;
    delivery.lastResponseStatus = outcome.status;
    delivery.lastLatencyMs = outcome.latencyMs;
    delivery.lastResponseExcerpt = outcome.excerpt;
    delivery.lastError = outcome.error;
    if (outcome.ok) {
      delivery.status = WebhookDeliveryStatus.SUCCEEDED;
      delivery.completedAt = now;
      endpoint.failingSince = null;
      endpoint.degraded = outcome.latencyMs > this.settings.timeoutMs / 2;
      return;
    }
    endpoint.failingSince ??= now;
    endpoint.degraded = true;
    const next = nextAttemptAfterFailure(
      this.settings,
      { firstAttemptAt: delivery.firstAttemptAt, attempts: delivery.attempts },
      now,
    );
    if (next) {
      delivery.nextAttemptAt = next;
    } else {
      delivery.status = WebhookDeliveryStatus.FAILED;
      delivery.completedAt = now;
    }
    const failingFor = now.getTime() - endpoint.failingSince.getTime();
    if (outcome.status === 410) {
      await this.disable(em, endpoint, 'the endpoint answered 410 Gone', now);
    } else if (failingFor >= this.settings.disableAfterDays * 24 * 60 * 60 * 1000) {
      await this.disable(
        em,
        endpoint,
        `every attempt failed for ${this.settings.disableAfterDays} days`,
        now,
      );
    }
  }

  private async disable(em: EntityManager, endpoint: WebhookEndpoint, reason: string, now: Date) {
    endpoint.status = WebhookEndpointStatus.DISABLED;
    endpoint.disabledReason = reason;
    endpoint.disabledAt = now;
    endpoint.updatedAt = now;
    await this.onEndpointDisabled(em, endpoint, now);
  }

  /**
   * In the transaction that disabled `endpoint` for failing (not when its owner disabled it): its
   * owner is told, in its inbox and by email where it receives email.
   */
  private async onEndpointDisabled(em: EntityManager, endpoint: WebhookEndpoint, now: Date): Promise<void> {
    this.logger.warn(
      { endpointId: endpoint.id, owner: endpoint.ownerSubject, reason: endpoint.disabledReason },
      'webhook endpoint disabled',
    );
    await this.notifications.stage(
      em,
      [
        {
          recipient: { role: endpoint.ownerRole, subject: endpoint.ownerSubject },
          category: NotificationCategory.WEBHOOK_DISABLED,
          title: `Webhook endpoint ${endpoint.url} disabled`,
          body:
            `Deliveries to ${endpoint.url} stopped: ${endpoint.disabledReason ?? 'it kept failing'}. ` +
            'Fix the endpoint, then enable it again: it receives what was committed meanwhile.',
          sourceKey: `webhook-endpoint:${endpoint.id}:disabled:${now.toISOString()}`,
        },
      ],
      now,
    );
  }
}
