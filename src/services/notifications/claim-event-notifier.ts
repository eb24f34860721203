import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { skippingLocked } from '../../db/row-lock';
import { ClaimEvent } from '../../entities/claim-event.entity';
import { ClaimEventType } from '../../entities/claim-event-type';
import { Claim } from '../../entities/claim.entity';
import { OutboxCursor } from '../../entities/outbox-cursor.entity';
import { claimNumberOf } from '../claims/claim-number';
import { ClaimTransition, TRANSITIONS } from '../claims/claim-state-machine';
import type { Clock } from '../common/clock';
import { readEventsAfter } from '../events/claim-event-reader';
import type { DeliveredEvent } from '../events/delivered-event';
import { type ClaimNoticeFacts, noticesOf } from './claim-event-notices';
import type { NotificationService } from './notification.service';

/** The cursor of the claim event table this consumer keeps. */
export const NOTIFICATIONS_CURSOR = 'notifications';

/**
 * Turns committed claim events into notifications: reads the events after its cursor, writes what
 * each party is told of them and moves the cursor, in one transaction. The cursor row is taken
 * with SKIP LOCKED on PostgreSQL, so of several instances one consumes at a time and each event
 * is consumed once; a crash rolls the batch back and it is consumed again.
 */
export class ClaimEventNotifier {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
    private readonly appealWindowDays: number,
  ) {}

  /** Consumes up to `limit` events; answers how many notifications it wrote. */
  async runOnce(limit = 500): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const [cursor] = await em.find(OutboxCursor, { name: NOTIFICATIONS_CURSOR }, skippingLocked(em));
      // Another instance is consuming (or the migration that places the cursor has not run).
      if (!cursor) return 0;
      const events = await readEventsAfter(em, cursor.position, limit);
      if (events.length === 0) return 0;
      const claims = await this.factsOf(em, events);
      const drafts = events.flatMap((event) =>
        noticesOf(event, claims.get(event.claimId)!, this.appealWindowDays),
      );
      await this.notifications.stage(em, drafts, this.clock.now());
      cursor.position = events[events.length - 1].position;
      return drafts.length;
    });
  }

  private async factsOf(em: EntityManager, events: DeliveredEvent[]): Promise<Map<number, ClaimNoticeFacts>> {
    const claimIds = [...new Set(events.map((event) => event.claimId))];
    const claims = await em.find(
      Claim,
      { id: { $in: claimIds } },
      { fields: ['filedAt', 'respondBy', 'acceptedPayer'], disableIdentityMap: true },
    );
    // What changes after the event (a later appeal, a later denial) is read from the events.
    const appeals = await em.find(
      ClaimEvent,
      {
        claim: { $in: claimIds },
        type: ClaimEventType.STATUS_CHANGED,
        toStatus: TRANSITIONS[ClaimTransition.APPEAL].to,
        fromStatus: { $in: TRANSITIONS[ClaimTransition.APPEAL].from },
      },
      { fields: ['claim'], disableIdentityMap: true },
    );
    return new Map(
      claims.map((claim) => [
        claim.id,
        {
          number: claimNumberOf(claim),
          respondBy: claim.respondBy ?? null,
          acceptedPayer: claim.acceptedPayer ?? null,
          appealPositions: appeals
            .filter((appeal) => appeal.claim.id === claim.id)
            .map((appeal) => appeal.id),
        },
      ]),
    );
  }
}
