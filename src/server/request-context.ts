import type { EntityManager } from '@mikro-orm/core';
import type { Authentication } from '../auth/viewer';
import type { Loaders } from '../loaders/loaders';
import type { Services } from '../services/services';

/** The WebSocket behind a subscription. */
export interface SubscriptionTransport {
  /** Gives the context a fresh EntityManager and loaders, before each delivered event. */
  renew(): void;
  close(code: number, reason: string): void;
}

/** What every resolver receives: one EntityManager fork, loaders and the caller, per request. */
export interface RequestContext {
  em: EntityManager;
  auth: Authentication;
  loaders: Loaders;
  services: Services;
  transport?: SubscriptionTransport;
}
