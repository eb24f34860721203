import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Viewer } from '../../auth/viewer';
import { Notification } from '../../entities/notification.entity';
import type { EventNotifier } from '../events/event-notifier';
import { inInbox } from './notification.service';

const BATCH = 500;

/**
 * Live notifications: one reader per instance reads the notifications written since it last
 * looked, on every wake-up and every `pollMs`, and hands each to the subscriptions of its inbox.
 * With nobody listening it reads nothing. Notification ids become visible in order (see
 * ClaimEventSequencer), so reading after the last id seen skips none.
 */
export class NotificationFeed {
  private position = 0;
  private readonly listeners = new Set<(notifications: Notification[]) => void>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private stopWake?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    private readonly notifier: EventNotifier,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    this.position = await this.latest();
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

  /** The notifications of `viewer`'s inbox written from now on, until the iterator is closed. */
  subscribe(viewer: Viewer): AsyncIterableIterator<Notification> {
    const buffer: Notification[] = [];
    let wake: (() => void) | null = null;
    const state = { closed: false };
    let joined: Promise<void> | null = null;
    const listener = (notifications: Notification[]) => {
      for (const notification of notifications) if (inInbox(viewer, notification)) buffer.push(notification);
      wake?.();
    };
    const join = async () => {
      // Nobody listened: the position may be far behind; what came before joining is not live.
      if (this.listeners.size === 0) this.position = Math.max(this.position, await this.latest());
      this.listeners.add(listener);
    };
    const close = (): IteratorReturnResult<undefined> => {
      state.closed = true;
      this.listeners.delete(listener);
      wake?.();
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<Notification> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        joined ??= join();
        await joined;
        while (!state.closed) {
          const next = buffer.shift();
          if (next) return { done: false, value: next };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: async () => close(),
    };
    return iterator;
  }

  private pull(): void {
    if (this.listeners.size === 0) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readAll()
      .catch((error) => this.logger.error({ err: error }, 'reading notifications failed'))
      .finally(() => {
        this.reading = null;
      });
  }

  private async readAll(): Promise<void> {
    do {
      this.readAgain = false;
      for (;;) {
        const notifications = await this.orm.em
          .fork()
          .find(Notification, { id: { $gt: this.position } }, { orderBy: { id: 'asc' }, limit: BATCH });
        if (notifications.length === 0) break;
        this.position = notifications[notifications.length - 1].id;
        for (const listener of this.listeners) listener(notifications);
        if (notifications.length < BATCH) break;
      }
    } while (this.readAgain);
  }

  private async latest(): Promise<number> {
    const [latest] = await this.orm.em
      .fork()
      .find(Notification, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
    return latest?.id ?? 0;
  }
}
