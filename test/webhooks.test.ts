import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import {
  AddClaimEvidenceDocument,
  CreateWebhookEndpointDocument,
  type CreateWebhookEndpointInput,
  DeleteWebhookEndpointDocument,
  DisableWebhookEndpointDocument,
  EnableWebhookEndpointDocument,
  FileClaimDocument,
  RedeliverWebhookEventDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  type WebhookDeliveryFieldsFragment,
  WebhookDeliveriesDocument,
  WebhookEndpointNodeDocument,
  WebhookEndpointsDocument,
} from './__generated__/graphql';
import {
  claimInput,
  insureSeller,
  type Marketplace,
  RELEASE_MESSAGE,
  recordChargerOrder,
  releaseToSeller,
  seedMarketplace,
} from './support/fixtures';
import type { GraphQLClient } from './support/graphql-client';
import { PII_CANARY } from './support/pii-canary';
import { startTestServer, type TestServer } from './support/test-server';
import { DAY, HOUR, SECOND } from './support/time';
import { until } from './support/waiting';
import { type ReceivedWebhook, verifyWith, WebhookReceiver } from './support/webhook-receiver';

/**
 * Signed webhooks, against real receivers on loopback (node:http) and the real database. The
 * server delivers only when asked (`t.deliverWebhooks()`, WEBHOOK_POLL_INTERVAL_MS 0), and time
 * moves with `t.clock`, so retries and back-off are driven, not waited for.
 */

const RETRY_BASE_SECONDS = 10;
let t: TestServer;
let market: Marketplace;
const receivers: WebhookReceiver[] = [];
/** Endpoints made by a test, deleted after it so that later events do not go to them. */
const made: { owner: GraphQLClient; id: string }[] = [];

beforeAll(async () => {
  t = await startTestServer({
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
    WEBHOOK_RETRY_BASE_SECONDS: String(RETRY_BASE_SECONDS),
    WEBHOOK_TIMEOUT_MS: '1000',
  });
  market = await seedMarketplace(t);
});

afterEach(async () => {
  for (const { owner, id } of made.splice(0)) {
    await owner.data(DeleteWebhookEndpointDocument, { input: { endpointId: id } });
  }
  for (const receiver of receivers.splice(0)) await receiver.stop();
});

afterAll(async () => {
  await t?.stop();
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start();
  receivers.push(started);
  return started;
}

/** Creates an endpoint that must be accepted; answers its id and secret. */
async function endpoint(
  owner: GraphQLClient,
  input: CreateWebhookEndpointInput,
): Promise<{ id: string; secret: string }> {
  const { createWebhookEndpoint } = await owner.data(CreateWebhookEndpointDocument, { input });
  expect(createWebhookEndpoint.userErrors).toEqual([]);
  const id = createWebhookEndpoint.endpoint!.id;
  made.push({ owner, id });
  return { id, secret: createWebhookEndpoint.secret! };
}

async function deliveriesOf(
  owner: GraphQLClient,
  endpointId: string,
): Promise<WebhookDeliveryFieldsFragment[]> {
  const { node } = await owner.data(WebhookDeliveriesDocument, { id: endpointId, first: 100 });
  if (!node || !('deliveries' in node)) throw new Error('no such endpoint');
  // Newest first in the API; oldest first here, as they were made.
  return node.deliveries.edges.map((edge) => edge.node).reverse();
}

let orders = 0;
/** Files a claim for cust-a on a new order from sell-b: one CLAIM_FILED event. Answers the claim id. */
async function fileClaim(overrides: Parameters<typeof claimInput>[1] = {}): Promise<string> {
  orders += 1;
  const order = await recordChargerOrder(t, `ord-hook-${orders}`);
  const customer = await t.as(Role.CUSTOMER, 'cust-a');
  const { fileClaim: payload } = await customer.data(FileClaimDocument, {
    input: claimInput(order, overrides),
  });
  expect(payload.userErrors).toEqual([]);
  return payload.claim!.id;
}

let photos = 0;
/** Adds a photo to the claim: one EVIDENCE_ADDED event. */
async function addEvidence(claimId: string): Promise<void> {
  photos += 1;
  const customer = await t.as(Role.CUSTOMER, 'cust-a');
  const { addClaimEvidence } = await customer.data(AddClaimEvidenceDocument, {
    input: {
      claimId,
      evidence: [
        {
          kind: 'PHOTO',
          description: `Photo ${photos}`,
          contentHash: `sha256:${createHash('sha256').update(`hook-photo-${process.pid}-${photos}`).digest('hex')}`,
          uri: `https://files.example.com/hook-${photos}.jpg`,
        },
      ],
    },
  });
  expect(addClaimEvidence.userErrors).toEqual([]);
}

describe('managing endpoints', () => {
  it('answers a whsec_ secret of 24+ random bytes once; the endpoint lists and reads through node without it', async () => {
    const seller = await t.as(Role.SELLER, 'sell-a');
    const { createWebhookEndpoint } = await seller.data(CreateWebhookEndpointDocument, {
      input: {
        url: 'http://127.0.0.1:9/claims',
        eventTypes: ['STATUS_CHANGED', 'CLAIM_FILED', 'STATUS_CHANGED'],
        description: ' ERP sync ',
      },
    });
    expect(createWebhookEndpoint.userErrors).toEqual([]);
    const created = createWebhookEndpoint.endpoint!;
    made.push({ owner: seller, id: created.id });
    expect(createWebhookEndpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(createWebhookEndpoint.secret!.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(created).toEqual({
      id: expect.any(String),
      url: 'http://127.0.0.1:9/claims',
      description: 'ERP sync',
      eventTypes: ['STATUS_CHANGED', 'CLAIM_FILED'],
      status: 'ACTIVE',
      disabledReason: null,
      failingSince: null,
      previousSecretExpiresAt: null,
    });
    const { webhookEndpoints } = await seller.data(WebhookEndpointsDocument, { first: 10 });
    expect(webhookEndpoints.edges.map((edge) => edge.node)).toEqual([created]);
    expect((await seller.data(WebhookEndpointNodeDocument, { id: created.id })).node).toEqual(created);

    const { updateWebhookEndpoint } = await seller.data(UpdateWebhookEndpointDocument, {
      input: { endpointId: created.id, eventTypes: [], description: '' },
    });
    expect(updateWebhookEndpoint.endpoint).toEqual({ ...created, eventTypes: [], description: '' });
  });

  it('refuses bad input with typed userErrors and writes nothing', async () => {
    const agent = await t.as(Role.AGENT, 'integration-bad-input');
    const count = async () =>
      Number(
        (
          await t.orm.em
            .getConnection()
            .execute<{ count: number | string }[]>('select count(*) as count from webhook_endpoint')
        )[0].count,
      );
    const before = await count();
    const refusals: [CreateWebhookEndpointInput, string[], string][] = [
      [{ url: 'not a url' }, ['input', 'url'], 'INVALID_FORMAT'],
      [{ url: 'ftp://example.com/hooks' }, ['input', 'url'], 'INVALID_FORMAT'],
      [{ url: 'https://user:pass@example.com/hooks' }, ['input', 'url'], 'INVALID_FORMAT'],
      [{ url: `https://example.com/${'a'.repeat(2100)}` }, ['input', 'url'], 'TOO_LONG'],
      [{ url: 'https://example.com/\u0007' }, ['input', 'url'], 'INVALID_FORMAT'],
      [
        { url: 'http://127.0.0.1:9/', eventTypes: ['CLAIM_FILED', 'NOPE'] },
        ['input', 'eventTypes', '1'],
        'UNKNOWN_EVENT_TYPE',
      ],
      [{ url: 'http://127.0.0.1:9/', description: 'x'.repeat(501) }, ['input', 'description'], 'TOO_LONG'],
      [{ url: 'http://10.0.0.1/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://192.168.1.20/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://172.16.5.4/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://100.64.0.1/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://0.0.0.0/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://[::1]/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://[fd12:3456::1]/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://[fe80::1]/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
      [{ url: 'http://[::ffff:10.0.0.1]/hooks' }, ['input', 'url'], 'ADDRESS_NOT_ALLOWED'],
    ];
    for (const [input, field, code] of refusals) {
      const { createWebhookEndpoint } = await agent.data(CreateWebhookEndpointDocument, { input });
      expect(
        { endpoint: createWebhookEndpoint.endpoint, secret: createWebhookEndpoint.secret },
        input.url.slice(0, 60),
      ).toEqual({ endpoint: null, secret: null });
      expect(
        createWebhookEndpoint.userErrors.map((error) => [error.field, error.code]),
        input.url.slice(0, 60),
      ).toEqual([[field, code]]);
    }
    expect(await count()).toBe(before);
  });

  it("another party's endpoint reads as null and every change to it as NOT_FOUND", async () => {
    const owner = await t.as(Role.SELLER, 'sell-a');
    const hooks = await receiver();
    const { id } = await endpoint(owner, { url: hooks.url() });
    const { sendTestWebhook } = await owner.data(SendTestWebhookDocument, { input: { endpointId: id } });
    await t.deliverWebhooks();
    const deliveryId = sendTestWebhook.delivery!.id;
    for (const other of [
      await t.as(Role.SELLER, 'sell-b'),
      await t.as(Role.INSURER, 'ins-a'),
      // Agents see every claim, but an endpoint is its owner's alone.
      await t.agent(),
      await t.as(Role.CUSTOMER, 'cust-a'),
    ]) {
      expect((await other.data(WebhookEndpointNodeDocument, { id })).node).toBeNull();
      expect((await other.data(WebhookEndpointNodeDocument, { id: deliveryId })).node).toBeNull();
      if ((await other.execute(WebhookEndpointsDocument, { first: 10 })).errors) continue; // a customer: FORBIDDEN
      const input = { endpointId: id };
      const answers = [
        (await other.data(UpdateWebhookEndpointDocument, { input: { ...input, description: 'mine now' } }))
          .updateWebhookEndpoint.userErrors,
        (await other.data(RotateWebhookSecretDocument, { input })).rotateWebhookSecret.userErrors,
        (await other.data(DisableWebhookEndpointDocument, { input })).disableWebhookEndpoint.userErrors,
        (await other.data(EnableWebhookEndpointDocument, { input })).enableWebhookEndpoint.userErrors,
        (await other.data(SendTestWebhookDocument, { input })).sendTestWebhook.userErrors,
        (await other.data(DeleteWebhookEndpointDocument, { input })).deleteWebhookEndpoint.userErrors,
        (await other.data(RedeliverWebhookEventDocument, { input: { deliveryId } })).redeliverWebhookEvent
          .userErrors,
      ];
      expect(answers.map((errors) => errors.map((error) => error.code))).toEqual(
        answers.map(() => ['NOT_FOUND']),
      );
    }
    expect((await owner.data(WebhookEndpointNodeDocument, { id })).node).toMatchObject({
      description: '',
      status: 'ACTIVE',
    });
    expect(hooks.received).toHaveLength(1);
  });
});

describe('deliveries', () => {
  it('are signed per Standard Webhooks and carry exactly what claimEvents gives the owner, with its cursor', async () => {
    const agent = await t.as(Role.AGENT, 'integration-sign');
    const hooks = await receiver();
    const { id, secret } = await endpoint(agent, { url: hooks.url() });
    const { latest } = { latest: await latestCursor() };
    const claimId = await fileClaim();
    await addEvidence(claimId);
    await t.deliverWebhooks();

    expect(hooks.received.map((request) => request.type)).toEqual([
      'claim.CLAIM_FILED',
      'claim.EVIDENCE_ADDED',
    ]);
    for (const request of hooks.received) {
      expect(verifyWith(secret, request)).toEqual(JSON.parse(request.body));
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(request.id).toBe(`msg_${localId(id)}_${request.data.cursor as string}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(() => verifyWith(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, hooks.received[0])).toThrow(
      'No matching signature found',
    );
    const tampered = {
      ...hooks.received[0],
      body: hooks.received[0].body.replace('CLAIM_FILED', 'CLAIM_FILEE'),
    };
    expect(() => verifyWith(secret, tampered)).toThrow('No matching signature found');

    // The same owner's subscription from the same point: the same messages, field for field.
    const streamed = await claimEventsOf(Role.AGENT, 'integration-sign', latest, 2);
    expect(hooks.received.map((request) => request.data)).toEqual(streamed);
    expect(JSON.parse(hooks.received[0].body)).toEqual({
      type: 'claim.CLAIM_FILED',
      timestamp: streamed[0].occurredAt,
      data: streamed[0],
    });
    const deliveries = await deliveriesOf(agent, id);
    expect(
      deliveries.map((delivery) => [delivery.status, delivery.attempts, delivery.lastResponseStatus]),
    ).toEqual([
      ['SUCCEEDED', 1, 200],
      ['SUCCEEDED', 1, 200],
    ]);
    expect(deliveries[0].lastResponseExcerpt).toBe('ok');
    expect(deliveries[0].lastLatencyMs).toBeGreaterThanOrEqual(0);
    expect(deliveries.map((delivery) => delivery.webhookId)).toEqual(hooks.ids());
  });

  it('retries after 5xx answers and timeouts with exponential back-off, under the same webhook-id, until it succeeds', async () => {
    const agent = await t.as(Role.AGENT, 'integration-retry');
    const hooks = await receiver();
    const { id } = await endpoint(agent, { url: hooks.url() });
    const answers: ('hang' | number)[] = [500, 'hang', 503, 200];
    hooks.answerWith(() => {
      const next = answers.shift()!;
      return next === 'hang' ? 'hang' : { status: next, body: `answer ${next}` };
    });
    await fileClaim();
    await t.deliverWebhooks();
    let [delivery] = await deliveriesOf(agent, id);
    expect(delivery).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastResponseStatus: 500,
      lastError: 'answered 500',
    });
    expect(delivery.lastResponseExcerpt).toBe('answer 500');
    // The first retry comes after half to all of the base delay, not before.
    const waited = (next: string) => new Date(next).getTime() - t.clock.now().getTime();
    expect(waited(delivery.nextAttemptAt)).toBeGreaterThanOrEqual((RETRY_BASE_SECONDS * SECOND) / 2);
    expect(waited(delivery.nextAttemptAt)).toBeLessThanOrEqual(RETRY_BASE_SECONDS * SECOND);
    expect(await t.deliverWebhooks()).toBe(0);

    t.clock.advance(RETRY_BASE_SECONDS * SECOND);
    await t.deliverWebhooks();
    [delivery] = await deliveriesOf(agent, id);
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 2, lastResponseStatus: null });
    expect(delivery.lastError).toMatch(/timed out after 1000 ms/);
    // The second waits twice as long.
    expect(waited(delivery.nextAttemptAt)).toBeGreaterThanOrEqual(RETRY_BASE_SECONDS * SECOND);
    expect(waited(delivery.nextAttemptAt)).toBeLessThanOrEqual(2 * RETRY_BASE_SECONDS * SECOND);

    t.clock.advance(2 * RETRY_BASE_SECONDS * SECOND);
    await t.deliverWebhooks();
    t.clock.advance(4 * RETRY_BASE_SECONDS * SECOND);
    await t.deliverWebhooks();
    [delivery] = await deliveriesOf(agent, id);
    expect(delivery).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 4,
      lastResponseStatus: 200,
      lastError: null,
    });
    expect(new Set(hooks.ids())).toEqual(new Set([delivery.webhookId]));
    expect(hooks.received).toHaveLength(4);
    expect(new Set(hooks.received.map((request) => request.body)).size).toBe(1);
  });

  it("deliver each endpoint's events in order: a failing head holds back that endpoint only", async () => {
    const agent = await t.as(Role.AGENT, 'integration-order');
    const failing = await receiver();
    const healthy = await receiver();
    failing.answerWith({ status: 500 });
    const a = await endpoint(agent, { url: failing.url() });
    const b = await endpoint(agent, { url: healthy.url() });
    const claimId = await fileClaim();
    await addEvidence(claimId);
    await addEvidence(claimId);
    await t.deliverWebhooks();
    expect(healthy.received.map((request) => request.type)).toEqual([
      'claim.CLAIM_FILED',
      'claim.EVIDENCE_ADDED',
      'claim.EVIDENCE_ADDED',
    ]);
    // Only the first, retried: the later two wait behind it.
    t.clock.advance(RETRY_BASE_SECONDS * SECOND);
    await t.deliverWebhooks();
    expect(failing.received.map((request) => request.type)).toEqual([
      'claim.CLAIM_FILED',
      'claim.CLAIM_FILED',
    ]);
    await addEvidence(claimId);
    await t.deliverWebhooks();
    expect(healthy.received).toHaveLength(4);

    failing.answerWith({ status: 204 });
    t.clock.advance(HOUR);
    await t.deliverWebhooks();
    const ids = (receiver: WebhookReceiver) => receiver.ids().map((webhookId) => webhookId.split('_')[2]);
    // The first event three times (two failures), then every event once, in order.
    expect(ids(failing)).toEqual([ids(healthy)[0], ids(healthy)[0], ...ids(healthy)]);
    expect((await deliveriesOf(agent, a.id)).map((delivery) => delivery.status)).toEqual(
      Array(4).fill('SUCCEEDED'),
    );
    expect((await deliveriesOf(agent, b.id)).map((delivery) => delivery.attempts)).toEqual([1, 1, 1, 1]);
  });

  it('marks a delivery FAILED at the end of the retry window, lets the next one go, and redelivers on request under the same id', async () => {
    const agent = await t.as(Role.AGENT, 'integration-window');
    const hooks = await receiver();
    hooks.answerWith({ status: 502 });
    const { id } = await endpoint(agent, { url: hooks.url() });
    const claimId = await fileClaim();
    await addEvidence(claimId);
    const start = t.clock.now().getTime();
    // The last attempt falls at the end of the window, 72 hours after the delivery was made.
    while (t.clock.now().getTime() - start <= 72 * HOUR) {
      await t.deliverWebhooks();
      t.clock.advance(6 * HOUR);
    }
    // The next delivery was tried as soon as the first failed for good; its own window starts then.
    hooks.answerWith({ status: 200 });
    t.clock.advance(HOUR);
    await t.deliverWebhooks();
    const [first, second] = await deliveriesOf(agent, id);
    expect(first.status).toBe('FAILED');
    expect(first.attempts).toBeGreaterThan(5);
    expect(new Date(first.completedAt!).getTime() - start).toBe(72 * HOUR);
    expect(second).toMatchObject({ status: 'SUCCEEDED', eventType: 'claim.EVIDENCE_ADDED' });

    const { redeliverWebhookEvent } = await agent.data(RedeliverWebhookEventDocument, {
      input: { deliveryId: first.id },
    });
    expect(redeliverWebhookEvent.userErrors).toEqual([]);
    expect(redeliverWebhookEvent.delivery).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      webhookId: first.webhookId,
    });
    // A pending delivery is still being delivered: nothing to redeliver.
    const again = await agent.data(RedeliverWebhookEventDocument, {
      input: { deliveryId: redeliverWebhookEvent.delivery!.id },
    });
    expect(again.redeliverWebhookEvent.userErrors.map((error) => error.code)).toEqual(['WRONG_STATUS']);
    await t.deliverWebhooks();
    expect(hooks.received.at(-1)!.id).toBe(first.webhookId);
    expect(hooks.received.at(-1)!.body).toBe(hooks.received[0].body);
    // A succeeded one may be sent again too.
    const redone = await agent.data(RedeliverWebhookEventDocument, { input: { deliveryId: second.id } });
    expect(redone.redeliverWebhookEvent.userErrors).toEqual([]);
    await t.deliverWebhooks();
    expect(hooks.received.at(-1)!.id).toBe(second.webhookId);
  });

  it('an endpoint answering 410 Gone is disabled; enabled again, it takes up where it stopped', async () => {
    const agent = await t.as(Role.AGENT, 'integration-gone');
    const hooks = await receiver();
    hooks.answerWith({ status: 410 });
    const { id } = await endpoint(agent, { url: hooks.url() });
    const claimId = await fileClaim();
    await t.deliverWebhooks();
    const { node } = await agent.data(WebhookEndpointNodeDocument, { id });
    expect(node).toMatchObject({ status: 'DISABLED', disabledReason: 'the endpoint answered 410 Gone' });
    // Its owner is told, in its inbox: only this agent, not the whole team.
    type Inbox = { notifications: { edges: { node: { category: string; title: string; body: string } }[] } };
    const inbox = async (client: GraphQLClient) => {
      const response = await client.post({
        query: '{ notifications(first: 10) { edges { node { category title body } } } }',
      });
      return (response.data as unknown as Inbox).notifications.edges.map((edge) => edge.node);
    };
    expect(await inbox(agent)).toEqual([
      {
        category: 'WEBHOOK_DISABLED',
        title: `Webhook endpoint ${hooks.url()} disabled`,
        body: expect.stringContaining('the endpoint answered 410 Gone'),
      },
    ]);
    expect(await inbox(await t.as(Role.AGENT, 'integration-other'))).toEqual([]);
    await addEvidence(claimId);
    t.clock.advance(DAY);
    await t.deliverWebhooks();
    expect(hooks.received).toHaveLength(1);

    hooks.answerWith({ status: 200 });
    const { enableWebhookEndpoint } = await agent.data(EnableWebhookEndpointDocument, {
      input: { endpointId: id },
    });
    expect(enableWebhookEndpoint.endpoint).toMatchObject({ status: 'ACTIVE', disabledReason: null });
    await t.deliverWebhooks();
    expect(hooks.received.map((request) => request.type)).toEqual([
      'claim.CLAIM_FILED',
      'claim.CLAIM_FILED',
      'claim.EVIDENCE_ADDED',
    ]);
  });

  it('an endpoint failing for five days straight is disabled, not before', async () => {
    const agent = await t.as(Role.AGENT, 'integration-five-days');
    const hooks = await receiver();
    hooks.answerWith({ status: 500 });
    const { id } = await endpoint(agent, { url: hooks.url() });
    const start = t.clock.now().getTime();
    await agent.data(SendTestWebhookDocument, { input: { endpointId: id } });
    const status = async () => (await agent.data(WebhookEndpointNodeDocument, { id })).node;
    let disabledAfter: number | null = null;
    while (disabledAfter === null && t.clock.now().getTime() - start < 7 * DAY) {
      await t.deliverWebhooks();
      const endpointNow = await status();
      if (endpointNow && 'status' in endpointNow && endpointNow.status === 'DISABLED') {
        disabledAfter = t.clock.now().getTime() - start;
        expect(endpointNow.disabledReason).toBe('every attempt failed for 5 days');
      }
      // The first test delivery fails for good after three days: the next keeps the endpoint failing.
      if (t.clock.now().getTime() - start === 3 * DAY)
        await agent.data(SendTestWebhookDocument, { input: { endpointId: id } });
      t.clock.advance(6 * HOUR);
    }
    expect(disabledAfter).not.toBeNull();
    expect(disabledAfter!).toBeGreaterThanOrEqual(5 * DAY);
    expect(disabledAfter!).toBeLessThanOrEqual(5 * DAY + 12 * HOUR);
  });

  it('after a rotation both secrets verify during the overlap, only the new one after it', async () => {
    const insurer = await t.as(Role.INSURER, 'ins-rotate');
    const hooks = await receiver();
    const { id, secret: oldSecret } = await endpoint(insurer, { url: hooks.url() });
    const { rotateWebhookSecret } = await insurer.data(RotateWebhookSecretDocument, {
      input: { endpointId: id },
    });
    const newSecret = rotateWebhookSecret.secret!;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotateWebhookSecret.endpoint!.previousSecretExpiresAt).toBe(
      new Date(t.clock.now().getTime() + 24 * HOUR).toISOString(),
    );
    await insurer.data(SendTestWebhookDocument, { input: { endpointId: id } });
    await t.deliverWebhooks();
    const during = hooks.received[0];
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWith(newSecret, during)).toMatchObject({ type: 'webhook.test' });
    expect(verifyWith(oldSecret, during)).toMatchObject({ type: 'webhook.test' });

    t.clock.advance(24 * HOUR + SECOND);
    await insurer.data(SendTestWebhookDocument, { input: { endpointId: id } });
    await t.deliverWebhooks();
    const after = hooks.received[1];
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verifyWith(newSecret, after)).toMatchObject({ type: 'webhook.test' });
    expect(() => verifyWith(oldSecret, after)).toThrow('No matching signature found');
  });

  it('follows no redirect: a 3xx is a failed attempt and the other address hears nothing', async () => {
    const agent = await t.as(Role.AGENT, 'integration-redirect');
    const elsewhere = await receiver();
    const hooks = await receiver();
    hooks.answerWith({ status: 302, headers: { location: elsewhere.url('/stolen') } });
    const { id } = await endpoint(agent, { url: hooks.url() });
    await agent.data(SendTestWebhookDocument, { input: { endpointId: id } });
    await t.deliverWebhooks();
    const [delivery] = await deliveriesOf(agent, id);
    expect(delivery).toMatchObject({ status: 'PENDING', lastResponseStatus: 302 });
    expect(delivery.lastError).toBe('answered 302: redirects are not followed');
    expect(hooks.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
  });
});

describe('what each owner receives', () => {
  it("a seller's endpoint gets the seller side's words from the release on, an insurer's only the claims it insures, and nobody injury details", async () => {
    await insureSeller(t, 'sell-a', 'ins-hooks-a');
    await insureSeller(t, 'sell-b', 'ins-hooks-b');
    const owners = {
      sellerA: await t.as(Role.SELLER, 'sell-a'),
      sellerB: await t.as(Role.SELLER, 'sell-b'),
      insurerA: await t.as(Role.INSURER, 'ins-hooks-a'),
      insurerB: await t.as(Role.INSURER, 'ins-hooks-b'),
      agent: await t.as(Role.AGENT, 'integration-redaction'),
    };
    const hooks: Record<keyof typeof owners, WebhookReceiver> = {} as never;
    for (const [name, owner] of Object.entries(owners) as [keyof typeof owners, GraphQLClient][]) {
      hooks[name] = await receiver();
      await endpoint(owner, { url: hooks[name].url() });
    }
    const latest = await latestCursor();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const { fileClaim: filed } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders['ord-a1'].id, {
        kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
        injuryDetails: { description: `Burnt hand ${PII_CANARY}`, medicallyTreated: true },
      }),
    });
    expect(filed.userErrors).toEqual([]);
    const claimId = filed.claim!.id;
    await releaseToSeller(t, claimId);
    await addEvidence(claimId);
    await t.deliverWebhooks();

    const seen = (name: keyof typeof owners) => hooks[name].received.map((request) => request.data);
    // The filing came before the release: the seller side never hears of it.
    expect(seen('sellerA').map((data) => [data.type, data.sequence, data.fromStatus, data.summary])).toEqual([
      ['SELLER_NOTIFIED', 2, null, RELEASE_MESSAGE],
      ['EVIDENCE_ADDED', 3, null, expect.any(String)],
    ]);
    expect(seen('insurerA')).toEqual(seen('sellerA'));
    expect(seen('sellerB')).toEqual([]);
    expect(seen('insurerB')).toEqual([]);
    expect(seen('agent').map((data) => data.sequence)).toEqual([1, 2, 3]);
    // Exactly what the insurer's own claimEvents subscription gives it from the same point.
    expect(seen('insurerA')).toEqual(await claimEventsOf(Role.INSURER, 'ins-hooks-a', latest, 2));
    expect(seen('agent')).toEqual(await claimEventsOf(Role.AGENT, 'integration-redaction', latest, 3));
    for (const receiver of Object.values(hooks)) {
      for (const request of receiver.received) expect(request.body).not.toContain('CANARY');
    }
  });
});

/** The position of the latest committed claim event. */
async function latestCursor(): Promise<string> {
  const [row] = await t.orm.em
    .getConnection()
    .execute<{ id: string | number | null }[]>('select max(id) as id from claim_event');
  return String(row.id ?? 0);
}

function localId(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
}

/** The first `count` claimEvents messages `subject` receives after `after`, with every field a delivery carries. */
async function claimEventsOf(
  role: Role,
  subject: string,
  after: string,
  count: number,
): Promise<Record<string, unknown>[]> {
  const token = await issueToken(t.config.auth.jwtSecret!, { role, subject });
  const client = createClient({
    url: t.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const received: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ claimEvents: Record<string, unknown> }>(
    {
      query: `subscription($after: String) { claimEvents(after: $after) {
        cursor claimId claimNumber sequence type occurredAt actorRole fromStatus toStatus summary } }`,
      variables: { after },
    },
    {
      next: (result) => (result.data ? received.push(result.data.claimEvents) : errors.push(result.errors)),
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  try {
    await until(() => received.length >= count || errors.length > 0, `${count} claimEvents messages`);
    expect(errors).toEqual([]);
    return received.slice(0, count);
  } finally {
    stop();
    await client.dispose();
  }
}

export type { ReceivedWebhook };
