import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ClaimEventType } from '../entities/claim-event-type';
import { WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { eventTypesOf, WebhookEndpoint } from '../entities/webhook-endpoint.entity';
import { connectionComplexity } from '../graphql/complexity';
import { idOf } from '../graphql/global-id';
import { WebhookDeliveryConnection, WebhookEndpointConnection } from '../graphql/webhook-connections';
import {
  CreateWebhookEndpointInput,
  RedeliverWebhookEventInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointInput,
} from '../graphql/webhook-inputs';
import {
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  RotateWebhookSecretPayload,
  WebhookDeliveryPayload,
  WebhookEndpointPayload,
} from '../graphql/webhook-payloads';
import type { RequestContext } from '../server/request-context';
import { WEBHOOK_OWNER_ROLES } from '../services/webhooks/webhook-endpoint.service';

const endpointIdOf = (input: WebhookEndpointInput) => idOf(input.endpointId, 'WebhookEndpoint');

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Query(() => WebhookEndpointConnection, {
    complexity: connectionComplexity,
    description: "The caller's own webhook endpoints (sellers, insurers, agents), oldest first.",
  })
  async webhookEndpoints(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the page before.' })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpointConnection> {
    return WebhookEndpointConnection.of(await ctx.services.webhookEndpoints.list(ctx, { first, after }));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => CreateWebhookEndpointPayload, {
    description:
      'Adds an endpoint that receives, signed, the claim events the caller would receive from `claimEvents`, from now on; answers its signing secret, this once.',
  })
  createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.create(ctx, input);
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => WebhookEndpointPayload, {
    description: "Changes an endpoint's URL, event types or description.",
  })
  updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.update(ctx, {
      ...input,
      endpointId: idOf(input.endpointId, 'WebhookEndpoint'),
    });
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => RotateWebhookSecretPayload, {
    description:
      'A new signing secret, answered this once; the old one still signs beside it (a second signature) for the overlap.',
  })
  rotateWebhookSecret(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.rotateSecret(ctx, endpointIdOf(input));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => WebhookEndpointPayload, {
    description: 'Stops deliveries to the endpoint; what is committed meanwhile waits for it to be enabled.',
  })
  disableWebhookEndpoint(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.disable(ctx, endpointIdOf(input));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => WebhookEndpointPayload, {
    description:
      'Takes deliveries up again where they stopped: pending deliveries are due at once, in order, then what was committed meanwhile.',
  })
  enableWebhookEndpoint(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.enable(ctx, endpointIdOf(input));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => DeleteWebhookEndpointPayload, {
    description: 'Deletes the endpoint and its deliveries.',
  })
  deleteWebhookEndpoint(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.delete(ctx, endpointIdOf(input));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Sends the endpoint a delivery of type `webhook.test`, signed like every other.',
  })
  sendTestWebhook(
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.sendTest(ctx, endpointIdOf(input));
  }

  @Authorized(...WEBHOOK_OWNER_ROLES)
  @Mutation(() => WebhookDeliveryPayload, {
    description:
      'Sends a delivery that succeeded or failed again: the same body and `webhook-id`, as a new series of attempts.',
  })
  redeliverWebhookEvent(
    @Arg('input', () => RedeliverWebhookEventInput) input: RedeliverWebhookEventInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.webhookEndpoints.redeliver(ctx, idOf(input.deliveryId, 'WebhookDelivery'));
  }

  @FieldResolver(() => [ClaimEventType], { description: 'The event types delivered; empty: every type.' })
  eventTypes(@Root() endpoint: WebhookEndpoint): ClaimEventType[] {
    return eventTypesOf(endpoint);
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    complexity: connectionComplexity,
    description: "The endpoint's deliveries, newest first, with how their attempts went.",
  })
  async deliveries(
    @Root() endpoint: WebhookEndpoint,
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the page before.' })
    after: string | null,
    @Arg('status', () => WebhookDeliveryStatus, {
      nullable: true,
      description: 'Only deliveries in this status.',
    })
    status: WebhookDeliveryStatus | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryConnection> {
    return WebhookDeliveryConnection.of(
      await ctx.services.webhookEndpoints.deliveries(ctx, endpoint, { first, after, status }),
    );
  }
}
