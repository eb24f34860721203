import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';

type EntityClass<T> = abstract new (...args: never[]) => T;

/** Batches loads of one entity type by primary key into a single `IN (...)` query. */
export function createEntityByIdLoader<T extends { id: number }>(
  em: EntityManager,
  entity: EntityClass<T>,
): DataLoader<number, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await em.find(entity as never, { id: { $in: [...ids] } });
    const byId = new Map((rows as T[]).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
