import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { badUserInput } from '../errors';

export type SortDirection = 'ASC' | 'DESC';

export interface KeysetPage<T> {
  items: T[];
  cursorOf(item: T): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Counts every row matching the filter, ignoring the page; run only when asked for. */
  count(): Promise<number>;
}

interface KeysetOptions {
  first: number;
  after?: string;
  /** Names the ordering inside the cursor, so a cursor from another ordering is refused. */
  sortKey: string;
  sortColumn: string;
  /** Turns the cursor's string form of a sort value back into a query value; null if invalid. */
  parseSortValue: (raw: string) => unknown | null;
  direction: SortDirection;
}

type Sortable = { id: number } & Record<string, unknown>;

/**
 * Forward keyset pagination on (sort column, id): stable under inserts and constant in cost per
 * page. The cursor is opaque to clients: base64url of [sortKey, value, id], with dates and bigints
 * carried as strings so that nothing passes through a float.
 */
export async function paginateByKeyset<T extends object>(
  em: EntityManager,
  entity: new () => T,
  where: FilterQuery<T>,
  options: KeysetOptions,
): Promise<KeysetPage<T>> {
  const { sortColumn, direction } = options;
  const comparison = direction === 'DESC' ? '$lt' : '$gt';
  let pageWhere = where;
  if (options.after !== undefined) {
    const [value, id] = decodeCursor(options.after, options);
    pageWhere = {
      $and: [
        where,
        { $or: [{ [sortColumn]: { [comparison]: value } }, { [sortColumn]: value, id: { [comparison]: id } }] },
      ],
    } as FilterQuery<T>;
  }
  const order = direction === 'DESC' ? 'desc' : 'asc';
  const rows = (await em.find(entity, pageWhere, {
    orderBy: { [sortColumn]: order, id: order } as never,
    limit: options.first + 1,
  })) as unknown as Sortable[];
  const items = rows.slice(0, options.first) as unknown as T[];
  return {
    items,
    hasNextPage: rows.length > options.first,
    hasPreviousPage: options.after !== undefined,
    cursorOf: (item) => encodeCursor(options.sortKey, (item as Sortable)[sortColumn], (item as Sortable).id),
    count: () => em.count(entity, where),
  };
}

function encodeCursor(sortKey: string, value: unknown, id: number): string {
  const raw = value instanceof Date ? value.toISOString() : String(value);
  return Buffer.from(JSON.stringify([sortKey, raw, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, options: KeysetOptions): [unknown, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput('after is not a valid cursor', 'after');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== options.sortKey ||
    typeof parsed[1] !== 'string' ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw badUserInput('after is not a cursor of this ordering', 'after');
  }
  const value = options.parseSortValue(parsed[1]);
  if (value === null) throw badUserInput('after is not a valid cursor', 'after');
  return [value, parsed[2]];
}
