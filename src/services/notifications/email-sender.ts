import type { MikroORM } from '@mikro-orm/core';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { skippingLocked } from '../../db/row-lock';
import { EmailStatus, Notification } from '../../entities/notification.entity';
import type { Clock } from '../common/clock';

/** Emails sent in one run at most. */
const BATCH = 50;
const MINUTE = 60 * 1000;

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  maxAttempts: number;
}

/** The email of a notification: its title and body, plain and as HTML. */
export function emailOf(notification: Pick<Notification, 'title' | 'body'>) {
  const footer = 'You receive this because of your role in a claim or in the insurance marketplace.';
  return {
    subject: notification.title,
    text: `${notification.body}\n\n--\n${footer}\n`,
    html: `<p>${escapeHtml(notification.body)}</p><hr><p style="color:#666;font-size:small">${escapeHtml(footer)}</p>`,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Sends the emails of notifications queued for one: each is taken under a row lock (SKIP LOCKED
 * on PostgreSQL, so instances take different ones), sent, and marked SENT in the same
 * transaction; a failed attempt is tried again later, with growing pauses, up to `maxAttempts`.
 * A crash after the server accepted an email and before the commit sends it again: at least once.
 */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly settings: EmailSettings,
    private readonly logger: Logger,
  ) {
    this.transport = createTransport(settings.smtpUrl);
  }

  /** Sends the emails due now (up to one batch); answers how many were sent. */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (let index = 0; index < BATCH; index += 1) {
      const outcome = await this.sendOne();
      if (outcome === 'none') break;
      if (outcome === 'sent') sent += 1;
    }
    return sent;
  }

  close(): void {
    this.transport.close();
  }

  private sendOne(): Promise<'none' | 'sent' | 'failed'> {
    return this.orm.em.fork().transactional(async (em) => {
      const now = this.clock.now();
      const [notification] = await em.find(
        Notification,
        { emailStatus: EmailStatus.PENDING, emailNextAttemptAt: { $lte: now } },
        { ...skippingLocked(em), orderBy: { emailNextAttemptAt: 'asc', id: 'asc' }, limit: 1 },
      );
      if (!notification) return 'none';
      notification.emailAttempts += 1;
      try {
        await this.transport.sendMail({
          from: this.settings.from,
          to: notification.emailTo!,
          ...emailOf(notification),
          headers: { 'X-Claimgraph-Notification': String(notification.id) },
        });
        notification.emailStatus = EmailStatus.SENT;
        notification.emailSentAt = now;
        notification.emailError = null;
        notification.emailNextAttemptAt = null;
        return 'sent';
      } catch (error) {
        const reason = error instanceof Error ? error.message.slice(0, 500) : 'sending failed';
        notification.emailError = reason;
        if (notification.emailAttempts >= this.settings.maxAttempts) {
          notification.emailStatus = EmailStatus.FAILED;
          notification.emailNextAttemptAt = null;
        } else {
          // 1, 2, 4 … minutes, at most six hours apart.
          const pause = Math.min(2 ** (notification.emailAttempts - 1) * MINUTE, 6 * 60 * MINUTE);
          notification.emailNextAttemptAt = new Date(now.getTime() + pause);
        }
        this.logger.warn(
          { notification: notification.id, attempts: notification.emailAttempts },
          'email not sent',
        );
        return 'failed';
      }
    });
  }
}
