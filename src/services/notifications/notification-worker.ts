import type { Logger } from 'pino';
import type { EventNotifier } from '../events/event-notifier';
import type { ClaimEventNotifier } from './claim-event-notifier';
import type { EmailSender } from './email-sender';

/**
 * Keeps notifications flowing in the background: on every wake-up (events were committed) and
 * every `pollMs`, it turns new claim events into notifications and sends the emails that are due.
 * One run at a time per instance; the work itself is safe across instances.
 */
export class NotificationWorker {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> | null = null;
  private again = false;
  private stopWake?: () => void;

  constructor(
    private readonly events: ClaimEventNotifier,
    private readonly email: EmailSender | null,
    private readonly notifier: EventNotifier,
    private readonly logger: Logger,
  ) {}

  /** Everything due now: every new event made into notifications, then the emails due. */
  async runOnce(): Promise<{ notified: number; emailed: number }> {
    let notified = 0;
    for (;;) {
      const written = await this.events.runOnce();
      notified += written;
      if (written === 0) break;
    }
    const emailed = this.email ? await this.email.runOnce() : 0;
    return { notified, emailed };
  }

  start(pollMs: number): void {
    if (pollMs <= 0 || this.timer) return;
    this.stopWake = this.notifier.onWake(() => this.kick());
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopWake?.();
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.email?.close();
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again);
    })()
      .catch((error: unknown) => this.logger.error({ err: error }, 'notifications failed'))
      .finally(() => {
        this.running = null;
      });
  }
}
