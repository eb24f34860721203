import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { badUserInput } from '../../errors';

export type SortDirection = 'ASC' | 'DESC';

/** The most items one page holds: `first` is required and at most this. */
export const MAX_PAGE_SIZE = 100;

/** Refuses a page size out of 1…MAX_PAGE_SIZE with BAD_USER_INPUT on `first`. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
}

export interface KeysetPage<T> {
  items: T[];
  cursorOf(item: T): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Counts every row matching the filter, ignoring the page; run only when asked for. */
  count(): Promise<number>;
}

/** One column of an ordering; the cursor carries its value as a string. */
export interface KeysetColumn {
  column: string;
  direction: SortDirection;
  /** Turns the cursor's string form of a value back into a query value; null if invalid. */
  parse: (raw: string) => unknown;
}

interface KeysetOptions {
  first: number;
  after?: string;
  /** Names the ordering inside the cursor, so a cursor from another ordering is refused. */
  sortKey: string;
  /** The ordering; the id breaks ties last, in the direction of the last column. */
  columns: KeysetColumn[];
}

type Sortable = { id: number } & Record<string, unknown>;

/**
 * Forward keyset pagination on (sort columns…, id): stable under inserts and constant in cost per
 * page. The cursor is opaque to clients: base64url of [sortKey, values…, id], with dates and
 * bigints carried as strings so that nothing passes through a float.
 */
export async function paginateByKeyset<T extends object>(
  em: EntityManager,
  entity: new () => T,
  where: FilterQuery<T>,
  options: KeysetOptions,
): Promise<KeysetPage<T>> {
  const lastDirection = options.columns[options.columns.length - 1].direction;
  const columns = [...options.columns, { column: 'id', direction: lastDirection, parse: Number }];
  let pageWhere = where;
  if (options.after !== undefined) {
    const values = decodeCursor(options.after, options.sortKey, columns);
    // After (v1, v2, …): c1 past v1, or c1 = v1 and c2 past v2, or …
    const branches = columns.map((current, index) => {
      const branch: Record<string, unknown> = {};
      for (let i = 0; i < index; i++) branch[columns[i].column] = values[i];
      branch[current.column] = { [current.direction === 'DESC' ? '$lt' : '$gt']: values[index] };
      return branch;
    });
    pageWhere = { $and: [where, { $or: branches }] } as FilterQuery<T>;
  }
  const orderBy = Object.fromEntries(columns.map((c) => [c.column, c.direction === 'DESC' ? 'desc' : 'asc']));
  const rows = (await em.find(entity, pageWhere, {
    orderBy: orderBy as never,
    limit: options.first + 1,
  })) as unknown as Sortable[];
  const items = rows.slice(0, options.first) as unknown as T[];
  return {
    items,
    hasNextPage: rows.length > options.first,
    hasPreviousPage: options.after !== undefined,
    cursorOf: (item) =>
      encodeCursor(
        options.sortKey,
        columns.map((c) => (item as Sortable)[c.column]),
      ),
    count: () => em.count(entity, where),
  };
}

function encodeCursor(sortKey: string, values: unknown[]): string {
  const raw = values.map((value, index) =>
    index === values.length - 1 ? value : value instanceof Date ? value.toISOString() : String(value),
  );
  return encodeCursorJson([sortKey, ...raw]);
}

/** The opaque form of a cursor's content: base64url of its JSON. */
export function encodeCursorJson(content: unknown[]): string {
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/** A cursor's content, or BAD_USER_INPUT on `after` when it is not one this server issued. */
export function decodeCursorJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput('after is not a valid cursor', 'after');
  }
}

function decodeCursor(cursor: string, sortKey: string, columns: KeysetColumn[]): unknown[] {
  const parsed = decodeCursorJson(cursor);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== columns.length + 1 ||
    parsed[0] !== sortKey ||
    !parsed.slice(1, -1).every((value) => typeof value === 'string') ||
    !Number.isSafeInteger(parsed[parsed.length - 1])
  ) {
    throw badUserInput('after is not a cursor of this ordering', 'after');
  }
  const values = columns.slice(0, -1).map((column, index) => column.parse(parsed[index + 1] as string));
  if (values.some((value) => value === null)) throw badUserInput('after is not a valid cursor', 'after');
  return [...values, parsed[parsed.length - 1]];
}
