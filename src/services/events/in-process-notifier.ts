import { EventEmitter } from 'node:events';
import type { EventNotifier } from './event-notifier';

/** Wake-ups within one process: enough for a single instance. */
export class InProcessNotifier implements EventNotifier {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private pending = false;

  notify(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.emitter.emit('wake');
    });
  }

  onWake(listener: () => void): () => void {
    this.emitter.on('wake', listener);
    return () => this.emitter.off('wake', listener);
  }

  connected(): null {
    return null;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
