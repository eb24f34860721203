import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Viewer } from '../../auth/viewer';
import { skippingLocked } from '../../db/row-lock';
import type { ClaimEventType } from '../../entities/claim-event-type';
import { WebhookDelivery } from '../../entities/webhook-delivery.entity';
import { eventTypesOf, WebhookEndpoint, WebhookEndpointStatus } from '../../entities/webhook-endpoint.entity';
import type { Clock } from '../common/clock';
import { latestPosition, readEventsAfter } from '../events/claim-event-reader';
import { claimEventBody, claimEventTypeName, ownerReceives, webhookIdOf } from './webhook-payload';

/** Endpoints moved along together in one transaction. */
const ENDPOINTS_PER_STEP = 100;
/** Events read for them at once: a step writes at most ENDPOINTS_PER_STEP × this many rows. */
const EVENTS_PER_STEP = 100;
/** Rows per INSERT, well within PostgreSQL's 65,535 bound parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Turns committed claim events into deliveries. Each active endpoint keeps a cursor: the position
 * of the last event considered for it. A step locks the endpoints furthest behind (skipping those
 * another instance is moving on PostgreSQL), reads the events after the lowest of their cursors
 * once, writes a delivery for each event an endpoint's owner receives and asked for, and moves
 * every cursor to the last event read, all in one transaction: an event is turned into a delivery
 * for an endpoint exactly once, whatever crashes or how many instances run.
 *
 * Event positions become visible strictly in commit order (claim-event-sequencer.ts), so nothing
 * can appear behind a cursor later. A disabled endpoint's cursor stays where it is: enabled again,
 * it receives what was committed meanwhile.
 */
export class WebhookQueue {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** Moves every endpoint to the latest event; answers how many deliveries were made. */
  async fill(): Promise<number> {
    let made = 0;
    for (;;) {
      const step = await this.orm.em.fork().transactional((em) => this.step(em));
      made += step.made;
      if (!step.more) return made;
    }
  }

  private async step(em: EntityManager): Promise<{ made: number; more: boolean }> {
    const latest = await latestPosition(em);
    const endpoints = await em.find(
      WebhookEndpoint,
      { status: WebhookEndpointStatus.ACTIVE, cursor: { $lt: latest } },
      {
        fields: ['id', 'ownerRole', 'ownerSubject', 'eventTypeList', 'cursor'],
        orderBy: { cursor: 'asc', id: 'asc' },
        limit: ENDPOINTS_PER_STEP,
        ...skippingLocked(em),
      },
    );
    if (endpoints.length === 0) return { made: 0, more: false };
    // Ordered by cursor: the first is furthest behind.
    const events = await readEventsAfter(em, endpoints[0].cursor, EVENTS_PER_STEP);
    if (events.length === 0) return { made: 0, more: false };
    const reached = events[events.length - 1].position;
    const now = this.clock.now();
    const rows: Partial<WebhookDelivery>[] = [];
    const served = new Set<number>();
    for (const endpoint of endpoints) {
      const owner: Viewer = { role: endpoint.ownerRole, subject: endpoint.ownerSubject };
      const wanted = new Set<ClaimEventType>(eventTypesOf(endpoint));
      const after = BigInt(endpoint.cursor);
      for (const event of events) {
        if (BigInt(event.position) <= after) continue;
        if (wanted.size > 0 && !wanted.has(event.type)) continue;
        if (!ownerReceives(owner, event)) continue;
        served.add(endpoint.id);
        rows.push({
          endpoint: em.getReference(WebhookEndpoint, endpoint.id),
          webhookId: webhookIdOf(endpoint.id, event.position),
          eventType: claimEventTypeName(event),
          eventPosition: event.position,
          payload: claimEventBody(event, owner),
          nextAttemptAt: now,
          createdAt: now,
        });
      }
    }
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      await em.insertMany(WebhookDelivery, rows.slice(start, start + ROWS_PER_INSERT));
    }
    const moving = endpoints.filter((endpoint) => BigInt(endpoint.cursor) < BigInt(reached));
    const withDeliveries = moving.filter((endpoint) => served.has(endpoint.id)).map((e) => e.id);
    const without = moving.filter((endpoint) => !served.has(endpoint.id)).map((e) => e.id);
    if (withDeliveries.length > 0) {
      // An endpoint with nothing pending becomes due now; one with a pending head keeps its time.
      await em.nativeUpdate(
        WebhookEndpoint,
        { id: { $in: withDeliveries }, nextAttemptAt: null },
        { nextAttemptAt: now },
      );
      await em.nativeUpdate(WebhookEndpoint, { id: { $in: withDeliveries } }, { cursor: reached });
    }
    if (without.length > 0) {
      await em.nativeUpdate(WebhookEndpoint, { id: { $in: without } }, { cursor: reached });
    }
    return { made: rows.length, more: true };
  }
}
