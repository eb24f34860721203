import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';

type EntityClass<T> = abstract new (...args: never[]) => T;

/**
 * Batches loads of a parent's child rows (a claim's events, a policy's history, a request's
 * quotes) for many parents into one query.
 */
export function createRowsByParentLoader<P extends string, T extends { [K in P]: { id: number } }>(
  em: EntityManager,
  entity: EntityClass<T>,
  parent: P,
  orderBy: Record<string, 'asc' | 'desc'>,
): DataLoader<number, T[]> {
  return new DataLoader(async (parentIds) => {
    const rows = (await em.find(entity as never, { [parent]: { $in: [...parentIds] } } as never, {
      orderBy: orderBy as never,
    })) as T[];
    const byParent = new Map<number, T[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) byParent.get(row[parent].id)?.push(row);
    return parentIds.map((id) => byParent.get(id) ?? []);
  });
}
