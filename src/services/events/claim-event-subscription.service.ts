import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import { ClaimEventType } from '../../entities/claim-event-type';
import { badUserInput, forbidden } from '../../errors';
import type { ClaimEventFeed } from './claim-event-feed';
import { ClaimEventStream } from './claim-event-stream';
import type { DeliveredEvent } from './delivered-event';
import type { RequestContext } from '../../server/request-context';
import type { ClaimAccessService } from '../claims/claim-access.service';

/**
 * Close code telling a subscriber it fell behind; the reason carries the cursor to resume after.
 * One of claimgraph's own (graphql-ws reserves 4429 and others): graphql-ws clients reconnect on
 * it, and a client that reads the reason resumes exactly where it stopped.
 */
export const SLOW_CONSUMER_CLOSE_CODE = 4290;

export interface EventSubscriptionRequest {
  after?: string | null;
  claimId?: number | null;
  types?: ClaimEventType[] | null;
}

/**
 * Subscriptions to claim events. `claimEvents` (insurers and agents) replays from a cursor and
 * goes on live; `claimStatusChanged` (every role) streams status changes live. Both deliver only
 * events of claims the subscriber may see.
 */
export class ClaimEventSubscriptionService {
  constructor(
    private readonly feed: ClaimEventFeed,
    private readonly access: ClaimAccessService,
    private readonly bufferLimit: number,
  ) {}

  claimEvents(ctx: RequestContext, request: EventSubscriptionRequest): AsyncIterable<DeliveredEvent> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role !== Role.INSURER && viewer.role !== Role.AGENT) {
      // The operation ends with the error; the socket and its other operations go on.
      throw forbidden();
    }
    const after = request.after ?? null;
    if (after !== null && !/^\d{1,19}$/.test(after)) {
      throw badUserInput(
        'after must be a cursor received from this subscription, or "0" for everything',
        'after',
      );
    }
    return this.stream(ctx, { ...request, after });
  }

  claimStatusChanged(
    ctx: RequestContext,
    request: { claimId?: number | null },
  ): AsyncIterable<DeliveredEvent> {
    requireViewer(ctx.auth);
    return this.stream(ctx, {
      claimId: request.claimId,
      after: null,
      types: [ClaimEventType.STATUS_CHANGED],
    });
  }

  private stream(ctx: RequestContext, request: EventSubscriptionRequest): AsyncIterable<DeliveredEvent> {
    const viewer = requireViewer(ctx.auth);
    return new ClaimEventStream(ctx, this.feed, {
      viewer,
      after: request.after ?? null,
      claimId: request.claimId ?? null,
      types: request.types?.length ? request.types : null,
      bufferLimit: this.bufferLimit,
      visibleClaims: () => this.access.visibleClaimsFilter(ctx),
      // Each delivered event is resolved with a fresh unit of work, not one held for hours.
      beforeDelivery: () => ctx.transport?.renew(),
      onSlowConsumer: (resumeAfter) =>
        ctx.transport?.close(
          SLOW_CONSUMER_CLOSE_CODE,
          JSON.stringify({ code: 'SLOW_CONSUMER', resumeAfter }),
        ),
    });
  }
}
