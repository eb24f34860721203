import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { EventNotifier } from './event-notifier';

const BATCH = 500;

/** A table read in the order its rows become visible (see ClaimEventSequencer). */
export interface TailedTable<T> {
  /** What the rows are, for the log. */
  name: string;
  /** Up to `limit` rows after `position`, in order. */
  readAfter(em: EntityManager, position: string, limit: number): Promise<T[]>;
  positionOf(row: T): string;
  /** The position of the latest row, or "0". */
  latest(em: EntityManager): Promise<string>;
}

/**
 * One reader per process tails a table and hands each new row, in order, to every live listener,
 * so a commit costs one query per instance rather than one per subscriber. It reads on every
 * wake-up and, as a safety net for lost wake-ups, every `pollMs` (0: wake-ups only).
 *
 * With no listener attached it reads nothing: commits then cost no query here. The first listener
 * to join after such a quiet spell moves the reader's position to the latest row before it
 * attaches; anything older is the table's to replay, not the tail's to hand out.
 */
export class TableTail<T> {
  private position = '0';
  private readonly listeners = new Set<(rows: T[]) => void>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  /** Wake-ups came while nobody listened: the position may be behind the table. */
  private behind = false;
  /** The position being moved to the latest row, for the first listener after a quiet spell. */
  private catchingUp: Promise<void> | null = null;
  private stopWake?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly table: TailedTable<T>,
    private readonly notifier: EventNotifier,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.position = await this.table.latest(this.orm.em.fork());
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

  /** How many live subscriptions (listeners) are attached to this instance. */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** The position of the last row read (rows after it are not yet handed out). */
  get readPosition(): string {
    return this.position;
  }

  /** Whether no read is under way (for tests that must know a write was not already picked up). */
  get idle(): boolean {
    return this.reading === null;
  }

  /**
   * Attaches `listener` to every row read from now on. Answers the position it starts after
   * (rows at or before it are not the listener's) and the function that detaches it.
   */
  async join(listener: (rows: T[]) => void): Promise<{ head: string; leave: () => void }> {
    if (this.behind && this.listeners.size === 0 && !this.catchingUp) {
      this.behind = false;
      this.catchingUp = this.table
        .latest(this.orm.em.fork())
        .then((latest) => {
          if (BigInt(latest) > BigInt(this.position)) this.position = latest;
        })
        .finally(() => {
          this.catchingUp = null;
        });
    }
    // Every listener joining meanwhile waits for the same catch-up.
    if (this.catchingUp) await this.catchingUp;
    this.listeners.add(listener);
    const head = this.position;
    // A wake-up while the position was being read may announce rows after it: read them now.
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
      .catch((error) => this.logger.error({ err: error }, `reading ${this.table.name} failed`))
      .finally(() => {
        this.reading = null;
      });
  }

  private async readAll(): Promise<void> {
    do {
      this.readAgain = false;
      for (;;) {
        const rows = await this.table.readAfter(this.orm.em.fork(), this.position, BATCH);
        if (rows.length === 0) break;
        this.position = this.table.positionOf(rows[rows.length - 1]);
        for (const listener of this.listeners) listener(rows);
        if (rows.length < BATCH) break;
      }
    } while (this.readAgain);
  }
}
