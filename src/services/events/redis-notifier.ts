import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventNotifier } from './event-notifier';
import { InProcessNotifier } from './in-process-notifier';

const CHANNEL = 'claimgraph:claim-events';

/**
 * Wake-ups across instances through Redis pub/sub. Pub/sub is at-most-once, which is all a
 * wake-up needs: the event table is the record, and every instance also polls it.
 */
export class RedisNotifier implements EventNotifier {
  private readonly local = new InProcessNotifier();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private pending = false;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    // A wake-up that cannot be sent at once is not worth sending late.
    this.publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    // Redis absent at start or lost later: the subscription waits for it, however long, and ioredis
    // subscribes again on every reconnect. Meanwhile every instance polls the event table.
    this.subscriber = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null });
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error) => this.logger.warn({ err: error }, 'redis connection problem'));
    }
    this.subscriber
      .subscribe(CHANNEL)
      .catch((error) => this.logger.warn({ err: error }, 'redis subscription failed'));
    this.subscriber.on('message', () => this.local.notify());
  }

  notify(): void {
    this.local.notify();
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.publisher
        .publish(CHANNEL, '1')
        .catch((error) => this.logger.warn({ err: error }, 'redis publish failed'));
    });
  }

  connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  onWake(listener: () => void): () => void {
    return this.local.onWake(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
