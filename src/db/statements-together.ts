import {
  type EntityManager,
  type EntityMetadata,
  type EntityName,
  type Platform,
  type RequiredEntityData,
  Utils,
} from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { arrayValue } from './postgresql-array';

/**
 * Runs complete SQL statements (values already inlined, as the ORM writes them) in `em`'s
 * transaction, in order. PostgreSQL receives them as one multi-statement query, in one round trip
 * instead of one each; SQLite runs in-process, where a round trip costs nothing, one by one.
 * Answers the rows the last statement returned.
 */
export async function runStatementsTogether(
  em: EntityManager,
  statements: readonly string[],
  transaction: unknown = em.getTransactionContext(),
): Promise<Record<string, unknown>[]> {
  if (statements.length === 0) return [];
  const connection = em.getConnection();
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    const rows = await connection.execute<Record<string, unknown>[] | Record<string, unknown>[][]>(
      statements.join(';\n'),
      [],
      'all',
      transaction,
    );
    // One statement answers its rows; several, the rows of each.
    return statements.length === 1
      ? (rows as Record<string, unknown>[])
      : ((rows as Record<string, unknown>[][]).at(-1) ?? []);
  }
  let rows: unknown = [];
  for (const statement of statements) rows = await connection.execute(statement, [], 'all', transaction);
  // A statement that returns no rows answers what it changed instead.
  return Array.isArray(rows) ? rows : [];
}

/** How a property is written: its column and the conversion of its value, as the ORM would do it. */
interface ColumnWriter {
  column: string;
  /** The column's SQL type, as the schema declares it. */
  type: string;
  toDatabase: (value: unknown) => unknown;
}

/** Per entity, the writer of each property, worked out once from its metadata. */
const writersByEntity = new WeakMap<EntityMetadata, Map<string, ColumnWriter>>();

function columnWriters(meta: EntityMetadata, platform: Platform): Map<string, ColumnWriter> {
  let writers = writersByEntity.get(meta);
  if (writers) return writers;
  writers = new Map();
  for (const prop of meta.props) {
    // Properties of one column of their own only: one that is embedded, spans several columns or
    // is converted in SQL has no writer, so a row that gives it is refused. So is an array column:
    // on PostgreSQL the rows go as arrays, and unnesting an array of arrays flattens them.
    const arrayColumn = prop.columnTypes?.[0]?.endsWith('[]') ?? false;
    if (
      prop.persist === false ||
      prop.embedded ||
      prop.embeddedProps ||
      prop.fieldNames?.length !== 1 ||
      prop.hasConvertToDatabaseValueSQL ||
      arrayColumn
    )
      continue;
    const customType = prop.customType;
    writers.set(prop.name, {
      column: prop.fieldNames[0],
      type: prop.columnTypes[0],
      toDatabase: customType
        ? (value) =>
            customType.convertToDatabaseValue(value, platform, {
              fromQuery: true,
              key: prop.name,
              mode: 'query-data',
            })
        : (value) => (Array.isArray(value) || Utils.isPlainObject(value) ? JSON.stringify(value) : value),
    });
  }
  writersByEntity.set(meta, writers);
  return writers;
}

/**
 * An INSERT of `rows` into `entity`'s table, values inlined as the ORM writes them, answering the
 * new rows' ids only when `returningIds` says so (a filing's twenty band rows would otherwise come
 * back to be parsed for nothing); null for no rows. Each value is converted as its property's type
 * converts it and quoted by the ORM's platform, as its query builder does; the statement's text is
 * put together here, since the query builder's generic compilation of a many-row insert took about
 * a tenth of a filing's CPU (twenty band rows a claim), and mapping each row through the driver (a
 * copy with its keys renamed) most of what was left. Relations are given by id; a property a row
 * leaves out is written as NULL, not as a column default.
 *
 * On PostgreSQL the rows go as one array a column, unnested: a VALUES list is parsed and planned
 * value by value, and a filing batch's thousand band rows took PostgreSQL about 12 ms that way
 * against 7 ms as two arrays.
 */
export function insertStatement<Entity extends object>(
  em: EntityManager,
  entity: EntityName<Entity>,
  rows: readonly RequiredEntityData<Entity>[],
  { returningIds = false }: { returningIds?: boolean } = {},
): string | null {
  if (rows.length === 0) return null;
  const meta = em.getMetadata().get<Entity>(entity);
  const platform = em.getPlatform();
  const writers = columnWriters(meta, platform);
  const properties = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const columns = properties.map((property) => {
    const writer = writers.get(property);
    if (!writer) throw new Error(`${meta.className}.${property} cannot be written as a plain row`);
    return { property, ...writer };
  });
  const valueOf = (row: RequiredEntityData<Entity>, { property, toDatabase }: (typeof columns)[number]) => {
    const value = (row as Record<string, unknown>)[property];
    return value == null ? null : toDatabase(value);
  };
  const source =
    platform instanceof PostgreSqlPlatform
      ? `select * from unnest(${columns
          .map((column) =>
            arrayValue(
              platform,
              rows.map((row) => valueOf(row, column)),
              column.type,
            ),
          )
          .join(', ')})`
      : `values ${rows.map((row) => `(${columns.map((column) => platform.quoteValue(valueOf(row, column))).join(', ')})`).join(', ')}`;
  const insert = `insert into ${platform.quoteIdentifier(meta.tableName)} (${columns.map(({ column }) => platform.quoteIdentifier(column)).join(', ')}) ${source}`;
  if (!returningIds || !platform.usesReturningStatement()) return insert;
  return `${insert} returning ${meta
    .getPrimaryProps()
    .map((prop) => platform.quoteIdentifier(prop.fieldNames[0]))
    .join(', ')}`;
}
