import type { EntityManager } from '@mikro-orm/core';
import type { Authentication } from '../auth/viewer';
import type { Loaders } from '../loaders/loaders';
import type { Services } from '../services/services';

/** What every resolver receives: one EntityManager fork, loaders and the caller, per request. */
export interface RequestContext {
  em: EntityManager;
  auth: Authentication;
  loaders: Loaders;
  services: Services;
}
