import type { FilterQuery } from '@mikro-orm/core';
import type { Viewer } from '../auth/viewer';
import type { ClaimEventType } from '../entities/claim-event-type';
import type { Claim } from '../entities/claim.entity';
import type { RequestContext } from '../server/request-context';
import type { ClaimEventFeed } from './claim-event-feed';
import { readEventsAfter } from './claim-event-reader';
import type { DeliveredEvent } from './delivered-event';
import { mayReceive } from './event-visibility';

const REPLAY_PAGE = 200;

export interface StreamOptions {
  viewer: Viewer;
  /** Replay everything after this position first; null: live events only. */
  after: string | null;
  claimId: number | null;
  types: ClaimEventType[] | null;
  /** Live events held for a slow consumer before the subscription is closed. */
  bufferLimit: number;
  /** The claims the viewer may see, as ClaimAccessService scopes them. */
  visibleClaims: FilterQuery<Claim>;
  /** Called just before each event is handed out. */
  beforeDelivery?: () => void;
  /** Called instead of raising when the subscriber fell behind; the stream then ends. */
  onSlowConsumer?: (resumeAfter: string) => void;
}

/** Raised when a consumer falls `bufferLimit` events behind: it should resume from `resumeAfter`. */
export class SlowConsumerError extends Error {
  constructor(readonly resumeAfter: string) {
    super(`subscriber fell too far behind; resume after ${resumeAfter}`);
  }
}

/**
 * One subscriber's events: first every event after `after` from the table, then live events from
 * the feed, with no gap and no duplicate. The subscriber joins the feed before the replay starts,
 * so events committed during the replay wait in its buffer; those the replay already delivered
 * are skipped by position. Positions are commit-ordered, so nothing can appear behind the cursor.
 */
export async function* claimEventStream(
  ctx: RequestContext,
  feed: ClaimEventFeed,
  options: StreamOptions,
): AsyncGenerator<DeliveredEvent> {
  const wanted = (event: DeliveredEvent) =>
    (options.claimId === null || event.claimId === options.claimId) &&
    (options.types === null || options.types.includes(event.type));
  const buffer: DeliveredEvent[] = [];
  let overflowed = false;
  let wake: (() => void) | null = null;
  const leave = feed.subscribe((events) => {
    for (const event of events) {
      if (wanted(event) && mayReceive(options.viewer, event.parties)) buffer.push(event);
    }
    if (buffer.length > options.bufferLimit) overflowed = true;
    wake?.();
  });
  let cursor = options.after ?? feed.head;
  const fellBehind = () => {
    if (!options.onSlowConsumer) throw new SlowConsumerError(cursor);
    options.onSlowConsumer(cursor);
  };
  try {
    if (options.after !== null) {
      const where: FilterQuery<Claim> = options.claimId === null
        ? options.visibleClaims
        : { $and: [options.visibleClaims, { id: options.claimId }] };
      for (;;) {
        const page = await readEventsAfter(ctx.em.fork(), cursor, REPLAY_PAGE, where);
        for (const event of page) {
          if (overflowed) return fellBehind();
          if (wanted(event)) {
            options.beforeDelivery?.();
            yield event;
          }
          cursor = event.position;
        }
        if (page.length < REPLAY_PAGE) break;
      }
    }
    for (;;) {
      if (overflowed) return fellBehind();
      const next = buffer.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      if (BigInt(next.position) <= BigInt(cursor)) continue;
      options.beforeDelivery?.();
      yield next;
      cursor = next.position;
    }
  } finally {
    leave();
  }
}
