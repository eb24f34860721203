import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ActorRole } from '../entities/claim-event-type';
import { ClaimEvent } from '../entities/claim-event.entity';
import { ClaimStatus } from '../entities/claim-status';
import type { RequestContext } from '../server/request-context';

/** A timeline entry as the viewer reads it: the words written for it, and what it may know. */
@Resolver(() => ClaimEvent)
export class ClaimEventResolver {
  @FieldResolver(() => String, { description: 'What happened, in words written for the viewer.' })
  async message(@Root() event: ClaimEvent, @Ctx() ctx: RequestContext): Promise<string> {
    return (await ctx.services.claimAccess.eventAsRead(ctx, event)).message;
  }

  @FieldResolver(() => ActorRole, { description: 'Who acted; SYSTEM for the marketplace itself.' })
  async actorRole(@Root() event: ClaimEvent, @Ctx() ctx: RequestContext): Promise<ActorRole> {
    return (await ctx.services.claimAccess.eventAsRead(ctx, event)).actorRole;
  }

  @FieldResolver(() => ClaimStatus, {
    nullable: true,
    description: 'The status before, for a status change the viewer could know of.',
  })
  async fromStatus(@Root() event: ClaimEvent, @Ctx() ctx: RequestContext): Promise<ClaimStatus | null> {
    return (await ctx.services.claimAccess.eventAsRead(ctx, event)).fromStatus;
  }
}
