import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { Customer } from '../../entities/customer.entity';
import { InsuranceProvider } from '../../entities/insurance-provider.entity';
import { NotificationCategory } from '../../entities/notification-category';
import { EmailStatus, Notification } from '../../entities/notification.entity';
import { NotificationPreference } from '../../entities/notification-preference.entity';
import { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import type { MutationRunner } from '../common/mutation-runner';
import { Refusal } from '../common/refusal';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import type { Inbox } from '../../graphql/inbox.type';
import type { NotificationPreferences } from '../../graphql/notification-preferences.type';
import type { NotificationDraft, Recipient } from './notification-draft';

/**
 * A principal's inbox: everything addressed to it, and what is addressed to its whole role; as a
 * query (`inboxOf`) and, for live delivery, in memory (`inInbox`).
 */
export function inboxOf(viewer: Viewer): FilterQuery<Notification> {
  return {
    recipientRole: viewer.role,
    $or: [{ recipientSubject: viewer.subject }, { recipientSubject: null }],
  };
}

export function inInbox(viewer: Viewer, notification: Notification): boolean {
  return (
    notification.recipientRole === viewer.role &&
    (notification.recipientSubject === viewer.subject || notification.recipientSubject === null)
  );
}

const MAX_MARKED_AT_ONCE = 100;

/**
 * Notifications: written in the transaction of what they tell of (or of the consumer of the
 * event that does), kept in each recipient's inbox and, where the recipient has an address and
 * did not mute the category, queued for email.
 */
export class NotificationService {
  constructor(
    private readonly clock: Clock,
    /** Whether a mail server is configured: without one, nothing is queued for email. */
    private readonly emailEnabled: boolean,
    private readonly mutations: MutationRunner,
  ) {}

  /**
   * Stages notifications in `em`'s transaction, each queued for email where it should be; a draft
   * whose source already made one is skipped.
   */
  async stage(em: EntityManager, staged: readonly NotificationDraft[], now: Date): Promise<void> {
    const drafts = await this.notYetMade(em, staged);
    if (drafts.length === 0) return;
    const recipients = drafts.map((draft) => draft.recipient);
    const [addresses, muted] = this.emailEnabled
      ? [await addressesOf(em, recipients), await mutedOf(em, recipients)]
      : [new Map<string, string>(), new Map<string, Set<NotificationCategory>>()];
    for (const draft of drafts) {
      const key = keyOf(draft.recipient);
      const to = addresses.get(key);
      const emailed = to !== undefined && !muted.get(key)?.has(draft.category);
      em.create(Notification, {
        recipientRole: draft.recipient.role,
        recipientSubject: draft.recipient.subject,
        category: draft.category,
        claim: draft.claimId ?? null,
        title: draft.title,
        body: draft.body,
        createdAt: now,
        sourceKey: draft.sourceKey,
        emailStatus: emailed ? EmailStatus.PENDING : EmailStatus.NONE,
        emailTo: emailed ? to : null,
        emailNextAttemptAt: emailed ? now : null,
      });
    }
  }

  /**
   * The drafts whose source has made no notification yet: a source (an event and a recipient, a
   * policy's reminder) is told once, however often its work runs.
   */
  private async notYetMade(
    em: EntityManager,
    drafts: readonly NotificationDraft[],
  ): Promise<NotificationDraft[]> {
    if (drafts.length === 0) return [];
    const made = new Set(
      (
        await em.find(
          Notification,
          { sourceKey: { $in: drafts.map((draft) => draft.sourceKey) } },
          { fields: ['sourceKey'], disableIdentityMap: true },
        )
      ).map((notification) => notification.sourceKey),
    );
    return drafts.filter((draft) => {
      if (made.has(draft.sourceKey)) return false;
      made.add(draft.sourceKey);
      return true;
    });
  }

  /** The caller's inbox, newest first. */
  list(
    ctx: RequestContext,
    args: { first: number; after?: string | null; unreadOnly?: boolean | null },
  ): Promise<KeysetPage<Notification>> {
    const viewer = requireViewer(ctx.auth);
    checkPageSize(args.first);
    const where: FilterQuery<Notification> = args.unreadOnly
      ? { $and: [inboxOf(viewer), { readAt: null }] }
      : inboxOf(viewer);
    return paginateByKeyset(ctx.em, Notification, where, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'NEWEST',
      columns: [{ column: 'id', direction: 'DESC', parse: Number }],
    });
  }

  /** One of the caller's notifications, or null. */
  async find(ctx: RequestContext, id: number): Promise<Notification | null> {
    return ctx.em.findOne(Notification, { $and: [{ id }, inboxOf(requireViewer(ctx.auth))] });
  }

  unreadCount(ctx: RequestContext): Promise<number> {
    return ctx.em.count(Notification, { $and: [inboxOf(requireViewer(ctx.auth)), { readAt: null }] });
  }

  /**
   * Marks the named notifications of the caller's inbox read, or all of them. A notification of
   * another inbox reads as not found; marking one already read changes nothing.
   */
  markRead(ctx: RequestContext, request: { ids: number[]; all: boolean }): Promise<InboxResult> {
    const viewer = requireViewer(ctx.auth);
    if (!request.all && request.ids.length === 0) {
      return Promise.resolve({
        inbox: null,
        userErrors: [userError(['input'], UserErrorCode.REQUIRED, 'name notifications, or mark all')],
      });
    }
    if (request.ids.length > MAX_MARKED_AT_ONCE) {
      return Promise.resolve({
        inbox: null,
        userErrors: [
          userError(['input', 'ids'], UserErrorCode.TOO_MANY_ITEMS, `at most ${MAX_MARKED_AT_ONCE} at once`),
        ],
      });
    }
    return this.mutations.run<InboxResult>(ctx, {
      viewer,
      operation: 'markNotificationsRead',
      run: async (em) => {
        const inbox = inboxOf(viewer);
        if (!request.all) {
          const found = await em.find(Notification, { $and: [inbox, { id: { $in: request.ids } }] });
          const missing = request.ids.findIndex((id) => !found.some((item) => item.id === id));
          if (missing >= 0) {
            throw new Refusal([
              userError(['input', 'ids', String(missing)], UserErrorCode.NOT_FOUND, 'no such notification'),
            ]);
          }
        }
        const which = request.all ? inbox : { $and: [inbox, { id: { $in: request.ids } }] };
        await em.nativeUpdate(
          Notification,
          { $and: [which, { readAt: null }] },
          { readAt: this.clock.now() },
        );
        return {
          inbox: { unreadCount: await em.count(Notification, { $and: [inbox, { readAt: null }] }) },
          userErrors: [],
        };
      },
      refused: (userErrors) => ({ inbox: null, userErrors }),
    });
  }

  /** Which categories the caller receives by email. */
  async preferences(ctx: RequestContext): Promise<NotificationPreferences> {
    const viewer = requireViewer(ctx.auth);
    const preference = await ctx.em.findOne(NotificationPreference, {
      role: viewer.role,
      subject: viewer.subject,
    });
    return this.preferencesIn(ctx.em, viewer, preference?.emailMuted ?? []);
  }

  /** Sets the categories the caller does not want by email (the inbox keeps everything). */
  setMutedCategories(ctx: RequestContext, emailMuted: NotificationCategory[]): Promise<PreferencesResult> {
    const viewer = requireViewer(ctx.auth);
    const muted = [...new Set(emailMuted)].sort();
    return this.mutations.run<PreferencesResult>(ctx, {
      viewer,
      operation: 'updateNotificationPreferences',
      run: async (em) => {
        const now = this.clock.now();
        const existing = await em.findOne(NotificationPreference, {
          role: viewer.role,
          subject: viewer.subject,
        });
        if (existing) {
          existing.emailMuted = muted;
          existing.updatedAt = now;
        } else {
          em.create(NotificationPreference, {
            role: viewer.role,
            subject: viewer.subject,
            emailMuted: muted,
            updatedAt: now,
          });
        }
        await em.flush();
        return { preferences: await this.preferencesIn(em, viewer, muted), userErrors: [] };
      },
      refused: (userErrors) => ({ preferences: null, userErrors }),
      // Set concurrently for the same principal: the second run updates what the first wrote.
      raced: 'run again',
    });
  }

  private async preferencesIn(
    em: EntityManager,
    viewer: Viewer,
    emailMuted: NotificationCategory[],
  ): Promise<NotificationPreferences> {
    const recipient = { role: viewer.role, subject: viewer.subject };
    return {
      emailMuted,
      emailEnabled: this.emailEnabled && (await addressesOf(em, [recipient])).has(keyOf(recipient)),
    };
  }
}

type InboxResult = { inbox: Inbox | null; userErrors: UserError[] };
type PreferencesResult = { preferences: NotificationPreferences | null; userErrors: UserError[] };

function keyOf(recipient: Recipient): string {
  return `${recipient.role}:${recipient.subject ?? ''}`;
}

/** The address of each recipient the marketplace reported one for (agents and experts have none). */
async function addressesOf(
  em: EntityManager,
  recipients: readonly Recipient[],
): Promise<Map<string, string>> {
  const subjectsOf = (role: Role) => [
    ...new Set(recipients.filter((r) => r.role === role && r.subject).map((r) => r.subject!)),
  ];
  const addresses = new Map<string, string>();
  const customers = subjectsOf(Role.CUSTOMER);
  if (customers.length > 0) {
    for (const customer of await em.find(Customer, { externalRef: { $in: customers } })) {
      addresses.set(keyOf({ role: Role.CUSTOMER, subject: customer.externalRef }), customer.email);
    }
  }
  const sellers = subjectsOf(Role.SELLER);
  if (sellers.length > 0) {
    for (const seller of await em.find(Seller, { externalRef: { $in: sellers } })) {
      addresses.set(keyOf({ role: Role.SELLER, subject: seller.externalRef }), seller.contactEmail);
    }
  }
  const insurers = subjectsOf(Role.INSURER);
  if (insurers.length > 0) {
    for (const provider of await em.find(InsuranceProvider, { externalRef: { $in: insurers } })) {
      if (provider.contactEmail) {
        addresses.set(keyOf({ role: Role.INSURER, subject: provider.externalRef }), provider.contactEmail);
      }
    }
  }
  return addresses;
}

async function mutedOf(
  em: EntityManager,
  recipients: readonly Recipient[],
): Promise<Map<string, Set<NotificationCategory>>> {
  const named = recipients.filter((recipient) => recipient.subject !== null);
  if (named.length === 0) return new Map();
  const preferences = await em.find(NotificationPreference, {
    $or: named.map((recipient) => ({ role: recipient.role, subject: recipient.subject! })),
  });
  return new Map(
    preferences.map((preference) => [
      keyOf({ role: preference.role, subject: preference.subject }),
      new Set(preference.emailMuted),
    ]),
  );
}
