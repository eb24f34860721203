import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Authentication } from '../auth/viewer';
import { Loaders } from '../loaders/loaders';
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

/** The context of one HTTP request: a unit of work of its own, and loaders over it. */
export function httpRequestContext(orm: MikroORM, services: Services, auth: Authentication): RequestContext {
  const em = orm.em.fork();
  return { em, auth, loaders: new Loaders(em), services };
}
