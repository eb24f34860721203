import type { Viewer } from '../../auth/viewer';
import { TEST_WEBHOOK_TYPE } from '../../entities/webhook-delivery.entity';
// The very message a subscriber of `claimEvents` receives, so that push and pull cannot drift apart.
import { ClaimEventMessage } from '../../graphql/claim-event-message.type';
import { toGlobalId } from '../../graphql/global-id';
import { mayReceive } from '../claims/claim-visibility';
import type { DeliveredEvent } from '../events/delivered-event';

/** The body's `type` for a claim event: `claim.` and its ClaimEventType. */
export function claimEventTypeName(event: Pick<DeliveredEvent, 'type'>): string {
  return `claim.${event.type}`;
}

/**
 * The `webhook-id` of an event to an endpoint: stable across attempts, redeliveries, restarts and
 * instances, unique per endpoint and event, so receivers de-duplicate by it.
 */
export function webhookIdOf(endpointId: number, position: string): string {
  return `msg_${endpointId}_${position}`;
}

/** Whether the owner receives the event at all: the visibility rule of `claimEvents`, as of the event. */
export function ownerReceives(owner: Viewer, event: DeliveredEvent): boolean {
  return mayReceive(owner, event.audience, event.sequence);
}

/**
 * The JSON body of a claim event for its owner: `data` holds exactly the fields of the
 * `ClaimEventMessage` the owner would receive from `claimEvents`, in its words (no injury details
 * are in any event text), with the same cursor.
 */
export function claimEventBody(event: DeliveredEvent, owner: Viewer): string {
  const message = ClaimEventMessage.of(event, owner);
  return JSON.stringify({
    type: claimEventTypeName(event),
    timestamp: message.occurredAt.toISOString(),
    data: {
      cursor: message.cursor,
      claimId: message.claimId,
      claimNumber: message.claimNumber,
      sequence: message.sequence,
      type: message.type,
      occurredAt: message.occurredAt.toISOString(),
      actorRole: message.actorRole,
      fromStatus: message.fromStatus,
      toStatus: message.toStatus,
      summary: message.summary,
    },
  });
}

/** The body of `sendTestWebhook`'s delivery. */
export function testBody(endpointId: number, at: Date): string {
  return JSON.stringify({
    type: TEST_WEBHOOK_TYPE,
    timestamp: at.toISOString(),
    data: {
      endpointId: toGlobalId('WebhookEndpoint', endpointId),
      message: 'A test delivery: the endpoint receives and verifies claimgraph webhooks.',
    },
  });
}
