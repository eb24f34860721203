import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { requireRole, requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import type { Config } from '../../config';
import { lockedForUpdate } from '../../db/row-lock';
import { ClaimEventType, claimEventTypeNamed } from '../../entities/claim-event-type';
import {
  TEST_WEBHOOK_TYPE,
  WebhookDelivery,
  WebhookDeliveryStatus,
} from '../../entities/webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from '../../entities/webhook-endpoint.entity';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import type { MutationRunner } from '../common/mutation-runner';
import { Refusal } from '../common/refusal';
import { checkText } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import { latestPosition } from '../events/claim-event-reader';
import { checkTargetUrl, MAX_URL_LENGTH, type TargetPolicy, type UrlProblem } from './target-address';
import { testBody } from './webhook-payload';
import { newSigningSecret } from './webhook-signer';

/** Who may have webhook endpoints: the parties told of claims in their own systems. Declared once. */
export const WEBHOOK_OWNER_ROLES = [Role.SELLER, Role.INSURER, Role.AGENT] as const;

/** Endpoints one owner may have. */
export const MAX_ENDPOINTS_PER_OWNER = 20;
const MAX_DESCRIPTION = 500;

const URL_PROBLEM_CODES: Record<UrlProblem, UserErrorCode> = {
  INVALID: UserErrorCode.INVALID_FORMAT,
  TOO_LONG: UserErrorCode.TOO_LONG,
  HTTPS_REQUIRED: UserErrorCode.HTTPS_REQUIRED,
  ADDRESS_NOT_ALLOWED: UserErrorCode.ADDRESS_NOT_ALLOWED,
};

export interface CreateEndpointRequest {
  url: string;
  eventTypes?: readonly string[] | null;
  description?: string | null;
}

export interface UpdateEndpointRequest {
  endpointId: number;
  url?: string | null;
  eventTypes?: readonly string[] | null;
  description?: string | null;
}

export type EndpointResult =
  { endpoint: WebhookEndpoint; userErrors: [] } | { endpoint: null; userErrors: UserError[] };
/** A result that shows the signing secret, the only time it is ever shown. */
export type EndpointWithSecret =
  | { endpoint: WebhookEndpoint; secret: string; userErrors: [] }
  | { endpoint: null; secret: null; userErrors: UserError[] };
export type DeliveryResult =
  { delivery: WebhookDelivery; userErrors: [] } | { delivery: null; userErrors: UserError[] };

const endpointNotFound = () =>
  userError(['input', 'endpointId'], UserErrorCode.NOT_FOUND, 'no such webhook endpoint');

/**
 * Webhook endpoints, managed by their owners: a seller, an insurer, or an agent for the
 * marketplace's own integrations. An endpoint is its owner's alone — anyone else, agents included,
 * reads it as not there (null, NOT_FOUND), as with any other party's object.
 */
export class WebhookEndpointService {
  private readonly changeListeners: (() => void)[] = [];
  private readonly policy: TargetPolicy;

  constructor(
    private readonly clock: Clock,
    private readonly settings: Config['webhooks'],
    private readonly mutations: MutationRunner,
  ) {
    this.policy = { httpsOnly: settings.httpsOnly, allowedHosts: settings.allowedHosts };
  }

  /** Calls `listener` after a change that may give the dispatcher work (committed). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** The caller's endpoints, oldest first. */
  list(
    ctx: RequestContext,
    args: { first: number; after?: string | null },
  ): Promise<KeysetPage<WebhookEndpoint>> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    checkPageSize(args.first);
    return paginateByKeyset(ctx.em, WebhookEndpoint, ownedBy(viewer), {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'WEBHOOK_ENDPOINT:ID',
      // The id alone orders them (ids grow with creation); the column list needs one entry.
      columns: [{ column: 'createdAt', direction: 'ASC', parse: parseInstant }],
    });
  }

  /** The endpoint when the caller owns it, otherwise null (for `node`). */
  async find(ctx: RequestContext, endpointId: number): Promise<WebhookEndpoint | null> {
    const viewer = requireViewer(ctx.auth);
    if (!isOwnerRole(viewer)) return null;
    return ctx.em.findOne(WebhookEndpoint, { id: endpointId, ...ownedBy(viewer) });
  }

  /** The delivery when the caller owns its endpoint, otherwise null (for `node`). */
  async findDelivery(ctx: RequestContext, deliveryId: number): Promise<WebhookDelivery | null> {
    const viewer = requireViewer(ctx.auth);
    if (!isOwnerRole(viewer)) return null;
    return ctx.em.findOne(WebhookDelivery, { id: deliveryId, endpoint: ownedBy(viewer) });
  }

  /** An endpoint's deliveries, newest first; `endpoint` was read as the caller's. */
  deliveries(
    ctx: RequestContext,
    endpoint: WebhookEndpoint,
    args: { first: number; after?: string | null; status?: WebhookDeliveryStatus | null },
  ): Promise<KeysetPage<WebhookDelivery>> {
    checkPageSize(args.first);
    const where: Record<string, unknown> = { endpoint: endpoint.id };
    if (args.status != null) where.status = args.status;
    return paginateByKeyset(ctx.em, WebhookDelivery, where, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'WEBHOOK_DELIVERY:ID',
      columns: [{ column: 'createdAt', direction: 'DESC', parse: parseInstant }],
    });
  }

  async create(ctx: RequestContext, request: CreateEndpointRequest): Promise<EndpointWithSecret> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const errors: UserError[] = [];
    const url = this.checkUrl(request.url, errors);
    const eventTypes = checkEventTypes(request.eventTypes ?? [], errors);
    const description = checkDescription(request.description, errors);
    const refused = (userErrors: UserError[]): EndpointWithSecret => ({
      endpoint: null,
      secret: null,
      userErrors,
    });
    if (errors.length > 0 || url === null) return refused(errors);
    const secret = newSigningSecret();
    const result = await this.mutations.run<EndpointWithSecret>(ctx, {
      viewer,
      operation: 'createWebhookEndpoint',
      run: async (em) => {
        const owned = await em.count(WebhookEndpoint, ownedBy(viewer));
        if (owned >= MAX_ENDPOINTS_PER_OWNER) {
          throw new Refusal([
            userError(
              ['input'],
              UserErrorCode.TOO_MANY_ITEMS,
              `at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per owner`,
            ),
          ]);
        }
        const now = this.clock.now();
        const endpoint = em.create(WebhookEndpoint, {
          ownerRole: viewer.role,
          ownerSubject: viewer.subject,
          url,
          description: description ?? '',
          eventTypeList: eventTypes.join(','),
          secret,
          // Events committed from now on: those already committed have a lower position.
          cursor: await latestPosition(em),
          createdAt: now,
          updatedAt: now,
        });
        return { endpoint, secret, userErrors: [] };
      },
      refused,
    });
    if (result.endpoint) this.changed();
    return result;
  }

  async update(ctx: RequestContext, request: UpdateEndpointRequest): Promise<EndpointResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const errors: UserError[] = [];
    const url = request.url == null ? null : this.checkUrl(request.url, errors);
    const eventTypes = request.eventTypes == null ? null : checkEventTypes(request.eventTypes, errors);
    const description = request.description == null ? null : checkDescription(request.description, errors);
    if (errors.length > 0) return { endpoint: null, userErrors: errors };
    return this.change(ctx, viewer, 'updateWebhookEndpoint', request.endpointId, (endpoint) => {
      if (url !== null) endpoint.url = url;
      if (eventTypes !== null) endpoint.eventTypeList = eventTypes.join(',');
      if (description !== null) endpoint.description = description;
    });
  }

  /**
   * A new secret, shown once. The old one keeps signing beside it for the overlap, so receivers
   * can switch to the new one without refusing a delivery meanwhile.
   */
  async rotateSecret(ctx: RequestContext, endpointId: number): Promise<EndpointWithSecret> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const secret = newSigningSecret();
    const result = await this.change(ctx, viewer, 'rotateWebhookSecret', endpointId, (endpoint, now) => {
      const overlapMs = this.settings.secretOverlapHours * 60 * 60 * 1000;
      endpoint.previousSecret = overlapMs > 0 ? endpoint.secret : null;
      endpoint.previousSecretExpiresAt = overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null;
      endpoint.secret = secret;
    });
    return result.endpoint
      ? { endpoint: result.endpoint, secret, userErrors: [] }
      : { endpoint: null, secret: null, userErrors: result.userErrors };
  }

  disable(ctx: RequestContext, endpointId: number): Promise<EndpointResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    return this.change(ctx, viewer, 'disableWebhookEndpoint', endpointId, (endpoint, now) => {
      if (endpoint.status === WebhookEndpointStatus.DISABLED) return;
      endpoint.status = WebhookEndpointStatus.DISABLED;
      endpoint.disabledReason = 'disabled by its owner';
      endpoint.disabledAt = now;
    });
  }

  /**
   * Takes deliveries up again where they stopped: the pending ones are due at once (in order), and
   * events committed while it was disabled follow.
   */
  async enable(ctx: RequestContext, endpointId: number): Promise<EndpointResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const result = await this.change(
      ctx,
      viewer,
      'enableWebhookEndpoint',
      endpointId,
      async (endpoint, now, em) => {
        if (endpoint.status === WebhookEndpointStatus.ACTIVE) return;
        endpoint.status = WebhookEndpointStatus.ACTIVE;
        endpoint.disabledReason = null;
        endpoint.disabledAt = null;
        endpoint.failingSince = null;
        endpoint.degraded = false;
        await em.nativeUpdate(
          WebhookDelivery,
          { endpoint: endpoint.id, status: WebhookDeliveryStatus.PENDING, nextAttemptAt: { $gt: now } },
          { nextAttemptAt: now },
        );
        const pending = await em.count(WebhookDelivery, {
          endpoint: endpoint.id,
          status: WebhookDeliveryStatus.PENDING,
        });
        endpoint.nextAttemptAt = pending > 0 ? now : null;
      },
    );
    if (result.endpoint) this.changed();
    return result;
  }

  /** Deletes the endpoint with its deliveries; answers it as it was. */
  delete(ctx: RequestContext, endpointId: number): Promise<EndpointResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    return this.mutations.run<EndpointResult>(ctx, {
      viewer,
      operation: 'deleteWebhookEndpoint',
      run: async (em) => {
        const endpoint = await this.owned(em, viewer, endpointId);
        await em.nativeDelete(WebhookDelivery, { endpoint: endpoint.id });
        await em.nativeDelete(WebhookEndpoint, { id: endpoint.id });
        return { endpoint, userErrors: [] };
      },
      refused: (userErrors) => ({ endpoint: null, userErrors }),
    });
  }

  /** A delivery of type `webhook.test` to the endpoint, behind its pending ones. */
  async sendTest(ctx: RequestContext, endpointId: number): Promise<DeliveryResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const result = await this.mutations.run<DeliveryResult>(ctx, {
      viewer,
      operation: 'sendTestWebhook',
      run: async (em) => {
        const endpoint = await this.owned(em, viewer, endpointId);
        const now = this.clock.now();
        const delivery = this.enqueue(em, endpoint, now, {
          webhookId: `msg_${endpoint.id}_test_${randomBytes(8).toString('hex')}`,
          eventType: TEST_WEBHOOK_TYPE,
          eventPosition: null,
          payload: testBody(endpoint.id, now),
        });
        return { delivery, userErrors: [] };
      },
      refused: (userErrors) => ({ delivery: null, userErrors }),
    });
    if (result.delivery) this.changed();
    return result;
  }

  /**
   * Sends a finished delivery again — the same body under the same `webhook-id` — as a new series
   * of attempts behind the endpoint's pending deliveries. A pending one is still being delivered.
   */
  async redeliver(ctx: RequestContext, deliveryId: number): Promise<DeliveryResult> {
    const viewer = requireRole(ctx.auth, ...WEBHOOK_OWNER_ROLES);
    const result = await this.mutations.run<DeliveryResult>(ctx, {
      viewer,
      operation: 'redeliverWebhookEvent',
      run: async (em) => {
        const notFound = () =>
          new Refusal([userError(['input', 'deliveryId'], UserErrorCode.NOT_FOUND, 'no such delivery')]);
        const original = await em.findOne(WebhookDelivery, { id: deliveryId, endpoint: ownedBy(viewer) });
        if (!original) throw notFound();
        if (original.status === WebhookDeliveryStatus.PENDING) {
          throw new Refusal([
            userError(
              ['input', 'deliveryId'],
              UserErrorCode.WRONG_STATUS,
              'the delivery is still pending: it is retried until it succeeds or fails',
            ),
          ]);
        }
        const endpoint = await em.findOne(WebhookEndpoint, original.endpoint.id, lockedForUpdate(em));
        if (!endpoint) throw notFound();
        const delivery = this.enqueue(em, endpoint, this.clock.now(), {
          webhookId: original.webhookId,
          eventType: original.eventType,
          eventPosition: original.eventPosition ?? null,
          payload: original.payload,
        });
        return { delivery, userErrors: [] };
      },
      refused: (userErrors) => ({ delivery: null, userErrors }),
    });
    if (result.delivery) this.changed();
    return result;
  }

  private enqueue(
    em: EntityManager,
    endpoint: WebhookEndpoint,
    now: Date,
    message: Pick<WebhookDelivery, 'webhookId' | 'eventType' | 'eventPosition' | 'payload'>,
  ): WebhookDelivery {
    endpoint.nextAttemptAt ??= now;
    return em.create(WebhookDelivery, { endpoint, ...message, nextAttemptAt: now, createdAt: now });
  }

  /** Runs `apply` on the caller's endpoint in a transaction, the row locked; NOT_FOUND when not the caller's. */
  private change(
    ctx: RequestContext,
    viewer: Viewer,
    operation: string,
    endpointId: number,
    apply: (endpoint: WebhookEndpoint, now: Date, em: EntityManager) => void | Promise<void>,
  ): Promise<EndpointResult> {
    return this.mutations.run<EndpointResult>(ctx, {
      viewer,
      operation,
      run: async (em) => {
        const endpoint = await this.owned(em, viewer, endpointId);
        const now = this.clock.now();
        await apply(endpoint, now, em);
        endpoint.updatedAt = now;
        return { endpoint, userErrors: [] };
      },
      refused: (userErrors) => ({ endpoint: null, userErrors }),
    });
  }

  /** The caller's endpoint, locked; another party's reads as not there. */
  private async owned(em: EntityManager, viewer: Viewer, endpointId: number): Promise<WebhookEndpoint> {
    const endpoint = await em.findOne(
      WebhookEndpoint,
      { id: endpointId, ...ownedBy(viewer) },
      lockedForUpdate(em),
    );
    if (!endpoint) throw new Refusal([endpointNotFound()]);
    return endpoint;
  }

  private checkUrl(raw: string, errors: UserError[]): string | null {
    const field = ['input', 'url'];
    const text = checkText(raw, field, MAX_URL_LENGTH, errors);
    if (text === null) return null;
    const checked = checkTargetUrl(text, this.policy);
    if ('problem' in checked) {
      errors.push(userError(field, URL_PROBLEM_CODES[checked.problem], checked.message));
      return null;
    }
    return checked.url.href;
  }
}

function isOwnerRole(viewer: Viewer): boolean {
  return (WEBHOOK_OWNER_ROLES as readonly Role[]).includes(viewer.role);
}

function ownedBy(viewer: Viewer): { ownerRole: Role; ownerSubject: string } {
  return { ownerRole: viewer.role, ownerSubject: viewer.subject };
}

/** ClaimEventType values, without repeats; empty asks for every type. */
function checkEventTypes(types: readonly string[], errors: UserError[]): ClaimEventType[] {
  const checked: ClaimEventType[] = [];
  types.forEach((name, index) => {
    const type = claimEventTypeNamed(name);
    if (type === null) {
      errors.push(
        userError(
          ['input', 'eventTypes', String(index)],
          UserErrorCode.UNKNOWN_EVENT_TYPE,
          `not a claim event type; known: ${Object.values(ClaimEventType).join(', ')}`,
        ),
      );
    } else if (!checked.includes(type)) {
      checked.push(type);
    }
  });
  return checked;
}

function checkDescription(raw: string | null | undefined, errors: UserError[]): string | null {
  return checkText(raw, ['input', 'description'], MAX_DESCRIPTION, errors, { required: false }) ?? '';
}

function parseInstant(raw: string): Date | null {
  return Number.isNaN(Date.parse(raw)) ? null : new Date(raw);
}
