import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { lockedForUpdate } from '../../db/row-lock';
import { WebhookDelivery, WebhookDeliveryStatus } from '../../entities/webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from '../../entities/webhook-endpoint.entity';
import { type Clock, systemClock } from '../common/clock';
import type { EventNotifier } from '../events/event-notifier';
import { nextAttemptAfterFailure } from './retry-schedule';
import type { TargetPolicy } from './target-address';
import type { WebhookQueue } from './webhook-queue';
import { type AttemptOutcome, sendWebhook } from './webhook-sender';
import { signatureHeaders } from './webhook-signer';

/** Deliveries made to one endpoint in one turn before its lease is given back for others' turns. */
const DELIVERIES_PER_TURN = 20;

type Lane = 'healthy' | 'degraded';

/** What became of an endpoint's head delivery after an attempt. */
type AfterAttempt = 'next' | 'stop';

export interface DispatcherOptions {
  orm: MikroORM;
  clock: Clock;
  queue: WebhookQueue;
  settings: Config['webhooks'];
  notifier: EventNotifier;
  logger: Logger;
  /**
   * The clock of `webhook-timestamp`: receivers compare it with their own clock to refuse replays,
   * so it is the wall clock even where the service's clock is simulated (tests).
   */
  sendingClock?: Clock;
}

/**
 * Delivers webhooks: takes an endpoint with a due delivery, leases it, sends its due deliveries
 * one at a time strictly in order, and gives the lease back.
 *
 * - **One sender per endpoint.** The lease is a conditional update of the endpoint row
 *   (`leased_until` in the past, or none), so of several instances one gets it; it is renewed
 *   before every attempt and lasts longer than an attempt can (twice the timeout and 30 s more),
 *   so no two instances ever send to one endpoint at once. A holder that dies leaves its lease
 *   to expire; the delivery it was sending is still pending, and goes out again with the same
 *   `webhook-id` (at least once).
 * - **In order, per endpoint.** Only the endpoint's oldest pending delivery is ever sent. A
 *   failing one is retried with back-off (retry-schedule.ts) and holds back the endpoint's later
 *   deliveries until it succeeds or its retry window ends; other endpoints go on meanwhile.
 * - **Lanes.** Healthy endpoints are served `concurrency` at a time; endpoints whose last attempt
 *   failed or was slow in a lane of their own, a quarter as wide, so that however many endpoints
 *   fail or hang, the healthy ones keep their slots and their latency.
 * - **Disabling.** An endpoint answering 410 Gone, or failing without a success for
 *   `disableAfterDays`, is disabled, and `onEndpointDisabled` is called.
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
  private readonly leaseMs: number;
  private readonly lanes: Record<Lane, { limit: number; busy: number }>;
  private readonly inFlight = new Map<number, Promise<void>>();
  private passing: Promise<void> | null = null;
  private passAgain = false;
  /** Whether any active endpoint may exist: with none, commits cost no query here. */
  private endpointsExist = false;
  private attemptsMade = 0;
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
    this.logger = options.logger;
    this.policy = { httpsOnly: options.settings.httpsOnly, allowedHosts: options.settings.allowedHosts };
    this.leaseMs = 2 * options.settings.timeoutMs + 30_000;
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

  /** Runs a pass soon; a call during a pass makes it go round once more. */
  private kick(): void {
    if (!this.background || this.stopping || !this.endpointsExist) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = (async () => {
      do {
        this.passAgain = false;
        await this.pass();
      } while (this.passAgain && !this.stopping);
    })()
      .catch((error) => this.logger.error({ err: error }, 'webhook dispatch failed'))
      .finally(() => {
        this.passing = null;
      });
  }

  /** Makes deliveries of new events, then starts serving due endpoints in free lane slots; answers how many. */
  private async pass(): Promise<number> {
    if (this.stopping) return 0;
    await this.queue.fill();
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
      for (const { id } of due) {
        if (this.inFlight.has(id) || this.lanes[lane].busy >= this.lanes[lane].limit) continue;
        this.lanes[lane].busy += 1;
        started += 1;
        const work = this.serve(id)
          .catch((error) => this.logger.error({ err: error, endpointId: id }, 'webhook delivery failed'))
          .finally(() => {
            this.lanes[lane].busy -= 1;
            this.inFlight.delete(id);
            // Its slot is free, and it may have more due: look again.
            this.kick();
          });
        this.inFlight.set(id, work);
      }
    }
    return started;
  }

  /** One turn of one endpoint: lease it, send its due deliveries in order, give the lease back. */
  private async serve(endpointId: number): Promise<void> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const leased = await em.nativeUpdate(
      WebhookEndpoint,
      {
        id: endpointId,
        status: WebhookEndpointStatus.ACTIVE,
        $or: [{ leasedUntil: null }, { leasedUntil: { $lte: now } }],
      },
      { leaseHolder: this.holder, leasedUntil: new Date(now.getTime() + this.leaseMs) },
    );
    if (leased !== 1) return;
    try {
      for (let turn = 0; turn < DELIVERIES_PER_TURN && !this.stopping; turn += 1) {
        if (turn > 0 && !(await this.renewLease(endpointId))) return;
        if ((await this.deliverHead(endpointId)) === 'stop') return;
      }
    } finally {
      await this.orm.em
        .fork()
        .nativeUpdate(
          WebhookEndpoint,
          { id: endpointId, leaseHolder: this.holder },
          { leaseHolder: null, leasedUntil: null },
        );
    }
  }

  private async renewLease(endpointId: number): Promise<boolean> {
    const renewed = await this.orm.em
      .fork()
      .nativeUpdate(
        WebhookEndpoint,
        { id: endpointId, leaseHolder: this.holder, status: WebhookEndpointStatus.ACTIVE },
        { leasedUntil: new Date(this.clock.now().getTime() + this.leaseMs) },
      );
    return renewed === 1;
  }

  /** Sends the endpoint's oldest pending delivery if it is due, and records how it went. */
  private async deliverHead(endpointId: number): Promise<AfterAttempt> {
    const em = this.orm.em.fork();
    const now = this.clock.now();
    const endpoint = await em.findOne(WebhookEndpoint, endpointId);
    if (!endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE) return 'stop';
    const head = await em.findOne(
      WebhookDelivery,
      { endpoint: endpointId, status: WebhookDeliveryStatus.PENDING },
      { orderBy: { id: 'asc' } },
    );
    if (!head || head.nextAttemptAt > now) {
      await em.nativeUpdate(
        WebhookEndpoint,
        { id: endpointId, leaseHolder: this.holder },
        { nextAttemptAt: head?.nextAttemptAt ?? null },
      );
      return 'stop';
    }
    const sentAt = this.sendingClock.now();
    const overlapping =
      endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now
        ? endpoint.previousSecret
        : null;
    const outcome = await sendWebhook(
      {
        url: endpoint.url,
        body: head.payload,
        headers: signatureHeaders(head.webhookId, sentAt, head.payload, {
          current: endpoint.secret,
          previous: overlapping,
        }),
      },
      this.policy,
      this.settings.timeoutMs,
      this.stopSignal.signal,
    );
    this.attemptsMade += 1;
    // An attempt cut short by this instance stopping says nothing of the endpoint: leave it pending.
    if (this.stopping && !outcome.ok) return 'stop';
    return this.record(endpointId, head.id, outcome);
  }

  /**
   * Records an attempt, in one transaction with the endpoint row locked, and only while this
   * instance still holds the lease (an endpoint deleted meanwhile has nothing left to record).
   */
  private record(endpointId: number, deliveryId: number, outcome: AttemptOutcome): Promise<AfterAttempt> {
    return this.orm.em.fork().transactional(async (em) => {
      const endpoint = await em.findOne(WebhookEndpoint, endpointId, lockedForUpdate(em));
      if (!endpoint || endpoint.leaseHolder !== this.holder) return 'stop';
      const delivery = await em.findOne(WebhookDelivery, deliveryId, lockedForUpdate(em));
      if (!delivery || delivery.status !== WebhookDeliveryStatus.PENDING) return 'stop';
      const now = this.clock.now();
      delivery.attempts += 1;
      delivery.firstAttemptAt ??= now;
      delivery.lastAttemptAt = now;
      delivery.lastResponseStatus = outcome.status;
      delivery.lastLatencyMs = outcome.latencyMs;
      delivery.lastResponseExcerpt = outcome.excerpt;
      delivery.lastError = outcome.error;
      let after: AfterAttempt = 'next';
      if (outcome.ok) {
        delivery.status = WebhookDeliveryStatus.SUCCEEDED;
        delivery.completedAt = now;
        endpoint.failingSince = null;
        endpoint.degraded = outcome.latencyMs > this.settings.timeoutMs / 2;
      } else {
        endpoint.failingSince ??= now;
        endpoint.degraded = true;
        const next = nextAttemptAfterFailure(
          this.settings,
          { firstAttemptAt: delivery.firstAttemptAt, attempts: delivery.attempts },
          now,
        );
        if (next) {
          delivery.nextAttemptAt = next;
          after = 'stop';
        } else {
          delivery.status = WebhookDeliveryStatus.FAILED;
          delivery.completedAt = now;
        }
        const failingFor = now.getTime() - endpoint.failingSince.getTime();
        if (outcome.status === 410) {
          await this.disable(em, endpoint, 'the endpoint answered 410 Gone', now);
          after = 'stop';
        } else if (failingFor >= this.settings.disableAfterDays * 24 * 60 * 60 * 1000) {
          await this.disable(
            em,
            endpoint,
            `every attempt failed for ${this.settings.disableAfterDays} days`,
            now,
          );
          after = 'stop';
        }
      }
      await em.flush();
      const nextHead = await em.findOne(
        WebhookDelivery,
        { endpoint: endpointId, status: WebhookDeliveryStatus.PENDING },
        { orderBy: { id: 'asc' }, fields: ['nextAttemptAt'] },
      );
      endpoint.nextAttemptAt = nextHead?.nextAttemptAt ?? null;
      return after;
    });
  }

  private async disable(em: EntityManager, endpoint: WebhookEndpoint, reason: string, now: Date) {
    endpoint.status = WebhookEndpointStatus.DISABLED;
    endpoint.disabledReason = reason;
    endpoint.disabledAt = now;
    endpoint.updatedAt = now;
    await this.onEndpointDisabled(em, endpoint);
  }

  /**
   * Called in the transaction that disabled `endpoint` for failing (not when its owner disabled
   * it). The owner is to be told, once a notification service exists to tell it; until then the
   * disabling is logged, and the owner reads it from the endpoint's status and reason.
   */
  async onEndpointDisabled(_em: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    this.logger.warn(
      { endpointId: endpoint.id, owner: endpoint.ownerSubject, reason: endpoint.disabledReason },
      'webhook endpoint disabled',
    );
  }
}
