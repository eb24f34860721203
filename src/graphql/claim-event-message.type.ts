import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ActorRole, ClaimEventType } from '../entities/claim-event-type';
import { ClaimStatus } from '../entities/claim-status';
import type { DeliveredEvent } from '../services/events/delivered-event';
import { claimNumberOf } from '../services/claims/claim-number';
import type { Viewer } from '../auth/viewer';
import { eventAsRead } from '../services/claims/claim-visibility';
import { toGlobalId } from './global-id';

// Delivered once per subscriber per event: plain property reads, no middleware (no field here is
// guarded by @Authorized; `claim` checks visibility in its service).
@ObjectType({
  description: 'A claim event as delivered to subscribers, fit for the viewer.',
  simpleResolvers: true,
})
export class ClaimEventMessage {
  @Field(() => String, { description: 'Global, increasing position: pass it as `after` to resume.' })
  cursor!: string;

  @Field(() => ID)
  claimId!: string;

  @Field(() => String)
  claimNumber!: string;

  @Field(() => Int, { description: "Position in this claim's timeline, from 1." })
  sequence!: number;

  @Field(() => ClaimEventType)
  type!: ClaimEventType;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  @Field(() => ActorRole)
  actorRole!: ActorRole;

  @Field(() => ClaimStatus, { nullable: true })
  fromStatus!: ClaimStatus | null;

  @Field(() => ClaimStatus, { nullable: true })
  toStatus!: ClaimStatus | null;

  @Field(() => String, {
    description: 'What happened, in words written for the viewer (customer, seller side, or marketplace).',
  })
  summary!: string;

  /** The claim's database id, for the `claim` field. */
  claimKey!: number;

  /** The event as `viewer` reads it (see claim-visibility.ts). */
  static of(event: DeliveredEvent, viewer: Viewer): ClaimEventMessage {
    const read = eventAsRead(viewer, event.audience, event);
    return Object.assign(new ClaimEventMessage(), {
      cursor: event.position,
      claimId: toGlobalId('Claim', event.claimId),
      claimNumber: claimNumberOf({ id: event.claimId, filedAt: event.claimFiledAt }),
      sequence: event.sequence,
      type: event.type,
      occurredAt: event.occurredAt,
      actorRole: read.actorRole,
      fromStatus: read.fromStatus,
      toStatus: event.toStatus,
      summary: read.message,
      claimKey: event.claimId,
    });
  }
}

@InputType()
export class ClaimEventFilter {
  @Field(() => [ClaimEventType], { nullable: true })
  types?: ClaimEventType[] | null;

  @Field(() => ID, { nullable: true })
  claimId?: string | null;
}
