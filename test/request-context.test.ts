import type { MikroORM } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import type { Services } from '../src/services/services';
import { requestContext } from '../src/server/request-context';

/** An ORM that only counts how often a unit of work is forked from it. */
function countingOrm(): { orm: MikroORM; forks: () => number } {
  let forks = 0;
  const orm = { em: { fork: () => ({ fork: forks++ }) } } as unknown as MikroORM;
  return { orm, forks: () => forks };
}

/** What Apollo Server does with a context before each operation. */
function copiedAsApolloDoes<T extends object>(context: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(context)) as T, context);
}

describe('a request context', () => {
  it('forks its unit of work when a resolver first asks for it, even once copied for an operation', () => {
    const { orm, forks } = countingOrm();
    const context = copiedAsApolloDoes(requestContext(orm, {} as Services, { viewer: null }));
    expect(forks()).toBe(0);
    const em = context.em;
    expect(context.em).toBe(em);
    expect(context.loaders).toBe(context.loaders);
    expect(forks()).toBe(1);
  });

  it('of a subscription forks afresh after each renewal', () => {
    const { orm, forks } = countingOrm();
    const context = requestContext(orm, {} as Services, { viewer: null }, { close: () => undefined });
    const first = context.em;
    context.transport!.renew();
    expect(forks()).toBe(1);
    expect(context.em).not.toBe(first);
    expect(forks()).toBe(2);
  });
});
