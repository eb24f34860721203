import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';

type EntityClass<T> = abstract new (...args: never[]) => T;

/** Batches loads of a claim's child rows (events, evidence) for many claims into one query. */
export function createRowsByClaimLoader<T extends { claim: { id: number } }>(
  em: EntityManager,
  entity: EntityClass<T>,
  orderBy: Record<string, 'asc' | 'desc'>,
): DataLoader<number, T[]> {
  return new DataLoader(async (claimIds) => {
    const rows = (await em.find(entity as never, { claim: { $in: [...claimIds] } } as never, {
      orderBy: orderBy as never,
    })) as T[];
    const byClaim = new Map<number, T[]>(claimIds.map((id) => [id, []]));
    for (const row of rows) byClaim.get(row.claim.id)?.push(row);
    return claimIds.map((id) => byClaim.get(id) ?? []);
  });
}
