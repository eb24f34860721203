import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { requireViewer } from '../auth/require-viewer';
import { Claim } from '../entities/claim.entity';
import type { DeliveredEvent } from '../services/events/delivered-event';
import { ClaimEventFilter, ClaimEventMessage } from '../graphql/claim-event-message.type';
import { filterIdOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';

/** The one claim a subscription is narrowed to, if any. */
function claimIdArgument(globalId: string | null | undefined, argument: string): number | null {
  return globalId ? filterIdOf(globalId, 'Claim', argument) : null;
}

@Resolver(() => ClaimEventMessage)
export class ClaimEventSubscriptionResolver {
  @Subscription(() => ClaimEventMessage, {
    description:
      'Insurers and agents: every event after `after` (a cursor; "0" for all), then live, with no gap and no duplicate. ' +
      'A subscriber that falls too far behind is closed with 4290 and the cursor to resume after.',
    subscribe: ({ args, context }) =>
      (context as RequestContext).services.claimEvents.claimEvents(context as RequestContext, {
        after: args.after,
        claimId: claimIdArgument(args.filter?.claimId, 'filter.claimId'),
        types: args.filter?.types,
      }),
  })
  claimEvents(
    @Root() event: DeliveredEvent,
    @Ctx() ctx: RequestContext,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Replay events after this cursor ("0": from the start); omit for live events only.',
    })
    _after: string | null,
    @Arg('filter', () => ClaimEventFilter, { nullable: true }) _filter: ClaimEventFilter | null,
  ): ClaimEventMessage {
    return ClaimEventMessage.of(event, requireViewer(ctx.auth));
  }

  @Subscription(() => ClaimEventMessage, {
    description: 'Status changes of the claims the caller may see (or of one claim), live.',
    subscribe: ({ args, context }) =>
      (context as RequestContext).services.claimEvents.claimStatusChanged(context as RequestContext, {
        claimId: claimIdArgument(args.claimId, 'claimId'),
      }),
  })
  claimStatusChanged(
    @Root() event: DeliveredEvent,
    @Ctx() ctx: RequestContext,
    @Arg('claimId', () => ID, { nullable: true }) _claimId: string | null,
  ): ClaimEventMessage {
    return ClaimEventMessage.of(event, requireViewer(ctx.auth));
  }

  @FieldResolver(() => Claim, {
    nullable: true,
    description: 'The claim as it is now, as the viewer may see it.',
  })
  claim(@Root() message: ClaimEventMessage, @Ctx() ctx: RequestContext): Promise<Claim | null> {
    return ctx.services.claimQueries.findVisible(ctx, message.claimKey);
  }
}
