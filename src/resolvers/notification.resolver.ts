import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { requireViewer } from '../auth/require-viewer';
import { Claim } from '../entities/claim.entity';
import { Notification } from '../entities/notification.entity';
import { connectionComplexity } from '../graphql/complexity';
import { idOf } from '../graphql/global-id';
import { Inbox } from '../graphql/inbox.type';
import { NotificationConnection } from '../graphql/notification-connections';
import {
  MarkNotificationsReadInput,
  UpdateNotificationPreferencesInput,
} from '../graphql/notification-inputs';
import {
  MarkNotificationsReadPayload,
  UpdateNotificationPreferencesPayload,
} from '../graphql/notification-payloads';
import { NotificationPreferences } from '../graphql/notification-preferences.type';
import type { RequestContext } from '../server/request-context';

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, {
    complexity: connectionComplexity,
    description:
      "The caller's inbox, newest first: what it was told of claims, insurance and its integrations.",
  })
  async notifications(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'A cursor from an earlier page.' })
    after: string | null,
    @Arg('unreadOnly', () => Boolean, { nullable: true, description: 'Only those not marked read.' })
    unreadOnly: boolean | null,
    @Ctx() ctx: RequestContext,
  ): Promise<NotificationConnection> {
    return NotificationConnection.of(
      await ctx.services.notifications.list(ctx, { first, after, unreadOnly }),
    );
  }

  @Authorized()
  @Query(() => Inbox, { description: "The caller's inbox as it stands: how many notifications are unread." })
  async inbox(@Ctx() ctx: RequestContext): Promise<Inbox> {
    return { unreadCount: await ctx.services.notifications.unreadCount(ctx) };
  }

  @Authorized()
  @Query(() => NotificationPreferences, { description: 'Which notifications the caller receives by email.' })
  notificationPreferences(@Ctx() ctx: RequestContext): Promise<NotificationPreferences> {
    return ctx.services.notifications.preferences(ctx);
  }

  @Authorized()
  @Mutation(() => MarkNotificationsReadPayload, {
    description: "Marks notifications of the caller's inbox read: the ones named, or all.",
  })
  markNotificationsRead(
    @Arg('input', () => MarkNotificationsReadInput) input: MarkNotificationsReadInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.notifications.markRead(ctx, {
      ids: (input.ids ?? []).map((id) => idOf(id, 'Notification')),
      all: input.all ?? false,
    });
  }

  @Authorized()
  @Mutation(() => UpdateNotificationPreferencesPayload, {
    description: 'Chooses which categories of notification the caller receives by email.',
  })
  updateNotificationPreferences(
    @Arg('input', () => UpdateNotificationPreferencesInput) input: UpdateNotificationPreferencesInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.notifications.setMutedCategories(ctx, input.emailMuted);
  }

  @Subscription(() => Notification, {
    description: "Notifications of the caller's inbox as they are written, live (the inbox is the record).",
    subscribe: ({ context }) => {
      const ctx = context as RequestContext;
      return ctx.services.notificationFeed.subscribe(requireViewer(ctx.auth));
    },
  })
  notificationReceived(@Root() notification: Notification): Notification {
    return notification;
  }

  @FieldResolver(() => Claim, {
    nullable: true,
    description: 'The claim it is about, if the caller sees it.',
  })
  claim(@Root() notification: Notification, @Ctx() ctx: RequestContext): Promise<Claim | null> | null {
    return notification.claim ? ctx.services.claimQueries.findVisible(ctx, notification.claim.id) : null;
  }
}
