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

/**
 * The context of one request, or of one subscription on `socket`. Its unit of work and the loaders
 * over it are made when a resolver first asks for them: a filing is written through a unit of work
 * of its batch, a refused request reads nothing, and most deliveries of a subscription's events
 * never touch the database. A subscription renews them before each delivered event.
 */
export function requestContext(
  orm: MikroORM,
  services: Services,
  auth: Authentication,
  socket?: { close(code: number, reason: string): void },
): RequestContext {
  let em: EntityManager | undefined;
  let loaders: Loaders | undefined;
  const context: RequestContext = {
    auth,
    services,
    get em() {
      return (em ??= orm.em.fork());
    },
    get loaders() {
      return (loaders ??= new Loaders(this.em));
    },
  };
  if (socket) {
    context.transport = {
      renew: () => {
        em = undefined;
        loaders = undefined;
      },
      close: (code, reason) => socket.close(code, reason),
    };
  }
  return context;
}
