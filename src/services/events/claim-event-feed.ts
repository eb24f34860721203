import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { latestPosition, readEventsAfter } from './claim-event-reader';
import type { DeliveredEvent } from './delivered-event';
import type { EventNotifier } from './event-notifier';

const BATCH = 500;

/**
 * One reader per process tails the event table and hands each new event, in order, to every live
 * subscription, so a commit costs one query per instance rather than one per subscriber. It reads
 * on every wake-up and, as a safety net for lost wake-ups, every `pollMs` (0: wake-ups only).
 *
 * With no subscription attached it reads nothing: commits then cost no query here. The first
 * subscription to join after such a quiet spell moves the reader's position to the latest event
 * before it attaches; anything older is the table's to replay, not the feed's to hand out.
 */
export class ClaimEventFeed {
  private position = '0';
  private readonly listeners = new Set<(events: DeliveredEvent[]) => void>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  /** Wake-ups came while nobody listened: the position may be behind the table. */
  private behind = false;
  /** The position being moved to the latest event, for the first subscription after a quiet spell. */
  private catchingUp: Promise<void> | null = null;
  private stopWake?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly notifier: EventNotifier,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.position = await latestPosition(this.orm.em.fork());
    this.stopWake = this.notifier.onWake(() => this.pull());
    if (this.pollMs > 0) {
      this.timer = setInterval(() => this.pull(), this.pollMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopWake?.();
    clearInterval(this.timer);
    await this.reading;
    this.listeners.clear();
  }

  /** How many live subscriptions are attached to this instance. */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  /**
   * Attaches `listener` to every event read from now on. Answers the position it starts after
   * (events at or before it are not the listener's) and the function that detaches it.
   */
  async join(listener: (events: DeliveredEvent[]) => void): Promise<{ head: string; leave: () => void }> {
    if (this.behind && this.listeners.size === 0 && !this.catchingUp) {
      this.behind = false;
      this.catchingUp = latestPosition(this.orm.em.fork())
        .then((latest) => {
          if (BigInt(latest) > BigInt(this.position)) this.position = latest;
        })
        .finally(() => {
          this.catchingUp = null;
        });
    }
    // Every subscription joining meanwhile waits for the same catch-up.
    if (this.catchingUp) await this.catchingUp;
    this.listeners.add(listener);
    const head = this.position;
    // A wake-up while the position was being read may announce events after it: read them now.
    if (this.behind) {
      this.behind = false;
      this.pull();
    }
    return { head, leave: () => this.listeners.delete(listener) };
  }

  /** Reads what is new now; a call during a read makes that read go round once more. */
  pull(): void {
    if (this.listeners.size === 0) {
      this.behind = true;
      return;
    }
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readAll()
      .catch((error) => this.logger.error({ err: error }, 'reading claim events failed'))
      .finally(() => {
        this.reading = null;
      });
  }

  private async readAll(): Promise<void> {
    do {
      this.readAgain = false;
      for (;;) {
        const events = await readEventsAfter(this.orm.em.fork(), this.position, BATCH);
        if (events.length === 0) break;
        this.position = events[events.length - 1].position;
        for (const listener of this.listeners) listener(events);
        if (events.length < BATCH) break;
      }
    } while (this.readAgain);
  }
}
