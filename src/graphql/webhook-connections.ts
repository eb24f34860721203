import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity';
import { ConnectionType } from './connection.type';

export const WebhookEndpointConnection = ConnectionType(
  WebhookEndpoint,
  'WebhookEndpoint',
  'webhook endpoints',
);
export type WebhookEndpointConnection = InstanceType<typeof WebhookEndpointConnection>;

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery', 'deliveries');
export type WebhookDeliveryConnection = InstanceType<typeof WebhookDeliveryConnection>;
