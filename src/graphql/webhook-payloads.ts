import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity';
import { PayloadType } from './payload.type';

const SECRET = {
  field: 'secret',
  description:
    'The signing secret (`whsec_…`), shown this once: keep it to verify deliveries. Null when refused.',
} as const;

export const CreateWebhookEndpointPayload = PayloadType(
  'CreateWebhookEndpointPayload',
  'endpoint',
  () => WebhookEndpoint,
  'The new endpoint; it receives the events committed from now on.',
  SECRET,
);
export const RotateWebhookSecretPayload = PayloadType(
  'RotateWebhookSecretPayload',
  'endpoint',
  () => WebhookEndpoint,
  'The endpoint; `previousSecretExpiresAt` says how long the old secret still signs beside the new one.',
  SECRET,
);
export const WebhookEndpointPayload = PayloadType(
  'WebhookEndpointPayload',
  'endpoint',
  () => WebhookEndpoint,
);
export const DeleteWebhookEndpointPayload = PayloadType(
  'DeleteWebhookEndpointPayload',
  'endpoint',
  () => WebhookEndpoint,
  'The endpoint as it was; it and its deliveries are gone.',
);
export const WebhookDeliveryPayload = PayloadType(
  'WebhookDeliveryPayload',
  'delivery',
  () => WebhookDelivery,
  "The delivery made; it goes out behind the endpoint's pending ones.",
);
