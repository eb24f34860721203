import type { FilterQuery } from '@mikro-orm/core';
import type { Viewer } from '../../auth/viewer';
import type { ClaimEventType } from '../../entities/claim-event-type';
import type { Claim } from '../../entities/claim.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimEventFeed } from './claim-event-feed';
import { readEventsAfter } from './claim-event-reader';
import type { DeliveredEvent } from './delivered-event';
import { mayReceive } from '../claims/claim-visibility';

const REPLAY_PAGE = 200;

export interface StreamOptions {
  viewer: Viewer;
  /** Replay everything after this position first; null: live events only. */
  after: string | null;
  claimId: number | null;
  types: ClaimEventType[] | null;
  /** Live events held for a slow consumer before the stream ends. */
  bufferLimit: number;
  /** The claims the viewer may see, as a query: narrows what the replay reads (each event is still judged alone). */
  visibleClaims: () => Promise<FilterQuery<Claim>>;
  /** Called just before each event is handed out. */
  beforeDelivery?: () => void;
  /** Called when the subscriber fell behind, with the cursor to resume after; the stream then ends. */
  onSlowConsumer: (resumeAfter: string) => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * One subscriber's events: first every event after `after` from the table, then live events from
 * the feed, with no gap and no duplicate. The subscriber joins the feed before the replay starts,
 * so events committed during the replay wait in its buffer; those the replay already delivered
 * are skipped by position. Positions are commit-ordered, so nothing can appear behind the cursor.
 *
 * A hand-written iterator rather than an async generator: `return()` must take effect at once,
 * even while the stream waits for an event, so that a closed subscription leaves the feed
 * immediately instead of at its next event.
 */
export class ClaimEventStream implements AsyncIterableIterator<DeliveredEvent> {
  private readonly buffer: DeliveredEvent[] = [];
  /** Set once the stream has joined the feed, at its first `next()`. */
  private leaveFeed?: () => void;
  private overflowed = false;
  private closed = false;
  private wake: (() => void) | null = null;
  /** For a live-only stream, set when it joins the feed. */
  private cursor: string;
  private replaying: boolean;
  private replayPage: DeliveredEvent[] = [];
  private replayWhere?: FilterQuery<Claim>;

  constructor(
    private readonly ctx: RequestContext,
    private readonly feed: ClaimEventFeed,
    private readonly options: StreamOptions,
  ) {
    this.cursor = options.after ?? '0';
    this.replaying = options.after !== null;
  }

  /** Joins the feed before anything is replayed, so that nothing committed meanwhile is missed. */
  private async joinFeed(): Promise<void> {
    const { head, leave } = await this.feed.join((events) => {
      for (const event of events) {
        if (this.wanted(event)) this.buffer.push(event);
      }
      if (this.buffer.length > this.options.bufferLimit) this.overflowed = true;
      this.wake?.();
    });
    this.leaveFeed = leave;
    // A live-only stream starts at the feed's position when it joined.
    if (this.options.after === null) this.cursor = head;
    if (this.closed) leave();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<DeliveredEvent>> {
    if (!this.leaveFeed && !this.closed) await this.joinFeed();
    while (!this.closed) {
      if (this.overflowed) {
        this.options.onSlowConsumer(this.cursor);
        return this.close();
      }
      const event =
        this.replaying || this.replayPage.length > 0 ? await this.nextReplayed() : await this.nextLive();
      if (event === undefined) continue;
      this.cursor = event.position;
      this.options.beforeDelivery?.();
      return { done: false, value: event };
    }
    return DONE;
  }

  async return(): Promise<IteratorResult<DeliveredEvent>> {
    return this.close();
  }

  private close(): IteratorReturnResult<undefined> {
    if (!this.closed) {
      this.closed = true;
      this.leaveFeed?.();
      this.wake?.();
    }
    return DONE;
  }

  /**
   * Whether the subscriber gets the event: it asked for it, and may receive it. Live and replayed
   * events are judged by the same rule on the same facts, so both deliver the same sequence.
   */
  private wanted(event: DeliveredEvent): boolean {
    return (
      (this.options.claimId === null || event.claimId === this.options.claimId) &&
      (this.options.types === null || this.options.types.includes(event.type)) &&
      mayReceive(this.options.viewer, event.audience, event.sequence)
    );
  }

  /** The next wanted event of the replay; undefined when a page held none (or the replay ended). */
  private async nextReplayed(): Promise<DeliveredEvent | undefined> {
    if (this.replayPage.length === 0) {
      // Only reached while replaying: a page is fetched when the previous one is used up.
      if (!this.replayWhere) {
        const visible = await this.options.visibleClaims();
        this.replayWhere =
          this.options.claimId === null ? visible : { $and: [visible, { id: this.options.claimId }] };
      }
      this.replayPage = await readEventsAfter(this.ctx.em.fork(), this.cursor, REPLAY_PAGE, this.replayWhere);
      if (this.replayPage.length < REPLAY_PAGE) this.replaying = false;
      if (this.replayPage.length === 0) return undefined;
    }
    while (this.replayPage.length > 0) {
      const event = this.replayPage.shift()!;
      if (this.wanted(event)) return event;
      this.cursor = event.position;
    }
    return undefined;
  }

  /** The next live event after the cursor; undefined after waking without one. */
  private async nextLive(): Promise<DeliveredEvent | undefined> {
    const event = this.buffer.shift();
    if (!event) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
      return undefined;
    }
    return BigInt(event.position) <= BigInt(this.cursor) ? undefined : event;
  }
}
