import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Viewer } from '../../auth/viewer';
import { Notification } from '../../entities/notification.entity';
import type { EventNotifier } from '../events/event-notifier';
import { TableTail } from '../events/table-tail';
import { inInbox } from './notification.service';

/**
 * Live notifications: the notification table tailed (see TableTail; its ids become visible in
 * order, see ClaimEventSequencer), each new notification handed to the subscriptions of its inbox.
 */
export class NotificationFeed {
  private readonly tail: TableTail<Notification>;

  constructor(
    orm: MikroORM,
    notifier: EventNotifier,
    logger: Logger,
    pollMs: number,
    /** Notifications held for one subscriber that does not read them before it is ended. */
    private readonly bufferLimit: number,
  ) {
    this.tail = new TableTail(
      orm,
      {
        name: 'notifications',
        readAfter: (em, position, limit) =>
          em.find(Notification, { id: { $gt: Number(position) } }, { orderBy: { id: 'asc' }, limit }),
        positionOf: (notification) => String(notification.id),
        latest: async (em) => {
          const [latest] = await em.find(
            Notification,
            {},
            { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] },
          );
          return String(latest?.id ?? 0);
        },
      },
      notifier,
      logger,
      pollMs,
    );
  }

  start(): Promise<void> {
    return this.tail.start();
  }

  stop(): Promise<void> {
    return this.tail.stop();
  }

  get subscriberCount(): number {
    return this.tail.subscriberCount;
  }

  get idle(): boolean {
    return this.tail.idle;
  }

  /**
   * The notifications of `viewer`'s inbox written from now on, until the iterator is closed. A
   * subscriber that lets `bufferLimit` of them wait ends with SLOW_CONSUMER: its inbox has them.
   */
  subscribe(viewer: Viewer): AsyncIterableIterator<Notification> {
    const buffer: Notification[] = [];
    let wake: (() => void) | null = null;
    // Changed by the listener and by `return` while `next` waits.
    const state = { closed: false, overflowed: false };
    let joined: Promise<{ leave: () => void }> | null = null;
    const listener = (notifications: Notification[]) => {
      for (const notification of notifications) if (inInbox(viewer, notification)) buffer.push(notification);
      if (buffer.length > this.bufferLimit) {
        state.overflowed = true;
        buffer.length = 0;
      }
      wake?.();
    };
    const close = async (): Promise<IteratorReturnResult<undefined>> => {
      state.closed = true;
      if (joined) (await joined).leave();
      wake?.();
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<Notification> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        joined ??= this.tail.join(listener);
        await joined;
        while (!state.closed) {
          if (state.overflowed) {
            await close();
            throw new GraphQLError('The subscriber fell behind; read the inbox for what it missed', {
              extensions: { code: 'SLOW_CONSUMER' },
            });
          }
          const next = buffer.shift();
          if (next) return { done: false, value: next };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: close,
    };
    return iterator;
  }
}
