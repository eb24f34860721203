import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new webhook endpoint of the caller.' })
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description:
      'Where deliveries are POSTed: an https URL (http outside production) of at most 2,048 characters, without credentials, whose host is public.',
  })
  url!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'The ClaimEventType values to deliver (e.g. "STATUS_CHANGED"); omitted or empty: every type.',
  })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A note for the owner, up to 500 characters.' })
  description?: string | null;
}

@InputType({ description: 'Changes to an endpoint; omitted fields stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: "One of the caller's webhook endpoints." })
  endpointId!: string;

  @Field(() => String, { nullable: true, description: 'A new URL, under the same rules as at creation.' })
  url?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The ClaimEventType values to deliver from now on; empty: every type.',
  })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A new note; empty clears it.' })
  description?: string | null;
}

@InputType({ description: "Names one of the caller's endpoints." })
export class WebhookEndpointInput {
  @Field(() => ID, { description: "One of the caller's webhook endpoints." })
  endpointId!: string;
}

@InputType({ description: "Names one of the deliveries of the caller's endpoints." })
export class RedeliverWebhookEventInput {
  @Field(() => ID, { description: 'A delivery that succeeded or failed.' })
  deliveryId!: string;
}
