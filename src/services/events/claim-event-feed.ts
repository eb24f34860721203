import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { latestPosition, readEventsAfter } from './claim-event-reader';
import type { DeliveredEvent } from './delivered-event';
import type { EventNotifier } from './event-notifier';
import { TableTail } from './table-tail';

/** The claim event table, tailed for live subscriptions (see TableTail). */
export class ClaimEventFeed extends TableTail<DeliveredEvent> {
  constructor(orm: MikroORM, notifier: EventNotifier, logger: Logger, pollMs = 1000) {
    super(
      orm,
      {
        name: 'claim events',
        readAfter: (em, position, limit) => readEventsAfter(em, position, limit),
        positionOf: (event) => event.position,
        latest: latestPosition,
      },
      notifier,
      logger,
      pollMs,
    );
  }
}
