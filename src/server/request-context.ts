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
  const context = new LazyRequestContext(orm, services, auth);
  if (socket) {
    context.transport = {
      renew: () => context.renew(),
      close: (code, reason) => socket.close(code, reason),
    };
  }
  return context;
}

/**
 * The getters are the class's, not the object's: Apollo Server copies a context's own properties
 * for each operation (Object.assign), which would call them and fork for every request.
 */
class LazyRequestContext implements RequestContext {
  transport?: SubscriptionTransport;
  private forked?: EntityManager;
  private loadersOfFork?: Loaders;

  constructor(
    private readonly orm: MikroORM,
    readonly services: Services,
    readonly auth: Authentication,
  ) {}

  get em(): EntityManager {
    return (this.forked ??= this.orm.em.fork());
  }

  get loaders(): Loaders {
    return (this.loadersOfFork ??= new Loaders(this.em));
  }

  renew(): void {
    this.forked = undefined;
    this.loadersOfFork = undefined;
  }
}
