import { escapeLiteral } from 'pg';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimgraphPostgreSqlPlatform, quoteLiteral, UnstorableTextError } from '../src/db/postgresql-driver';
import { Customer } from '../src/entities/customer.entity';
import { createErrorFormatter } from '../src/server/format-error';
import { createLogger } from '../src/server/logger';
import { onPostgres } from './support/database';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * On PostgreSQL every value reaches the database written into the statement's text; strings are
 * quoted by claimgraph's platform, which must write exactly what pg's own quoting writes.
 */
const AWKWARD = [
  '',
  'plain',
  "it's",
  "''",
  '\\',
  "\\'",
  "ends with a quote'",
  'a\\nb (a backslash, not a newline)',
  'line\nbreak\ttab\r',
  '$$ dollar $tag$ quoting',
  '? and ?? placeholders',
  '-- a comment; drop table claim; --',
  'ünïcödé, 汉字, עברית, 🙂 and a lone \u00a0 space',
  "E'already' escaped\\'",
];

function randomText(random: () => number): string {
  const alphabet = ["'", '\\', '"', '?', ';', ' ', 'a', 'Z', '0', '\n', 'é', '🙂', '$', 'E'];
  return Array.from(
    { length: Math.floor(random() * 40) },
    () => alphabet[Math.floor(random() * alphabet.length)],
  ).join('');
}

/** Code point ranges a generated string draws from: every kind of character that breaks quoting. */
const RANGES: [number, number][] = [
  [0x01, 0x1f], // control characters (NUL is tested on its own)
  [0x20, 0x7e], // ASCII, quotes, backslash, dollar and question marks included
  [0x22, 0x27], // " # $ % & ' again, to make them frequent
  [0x5c, 0x5c], // backslash
  [0x7f, 0x24f], // DEL, Latin-1, Latin Extended
  [0x300, 0x36f], // combining marks
  [0x590, 0x6ff], // Hebrew, Arabic
  [0x202a, 0x202e], // bidirectional overrides
  [0x4e00, 0x9fff], // CJK
  [0xd800, 0xdfff], // halves of surrogate pairs, alone
  [0xfffe, 0xffff], // noncharacters
  [0x1f300, 0x1faff], // emoji
  [0x10000, 0x10ffff], // any astral plane
];

function arbitraryText(random: () => number): string {
  return Array.from({ length: Math.floor(random() * 60) }, () => {
    const [from, to] = RANGES[Math.floor(random() * RANGES.length)];
    return String.fromCodePoint(from + Math.floor(random() * (to - from + 1)));
  }).join('');
}

/** What UTF-8 can carry of a JavaScript string: a lone surrogate becomes U+FFFD, as the driver sends it. */
function asUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** A small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('string literals for PostgreSQL', () => {
  it('are written exactly as pg writes them', () => {
    const random = seeded(20261203);
    const texts = [...AWKWARD, ...Array.from({ length: 2000 }, () => randomText(random))];
    for (const text of texts) expect(quoteLiteral(text), JSON.stringify(text)).toBe(escapeLiteral(text));
  });

  it('are what the platform writes for strings, while other values keep the ORM quoting', () => {
    const platform = new ClaimgraphPostgreSqlPlatform();
    expect(platform.quoteValue("it's")).toBe("'it''s'");
    expect(platform.quoteValue(42)).toBe('42');
    expect(platform.quoteValue(null)).toBe('NULL');
    expect(platform.quoteValue(['a', "b'"])).toBe("'a', 'b'''");
  });
});

describe('a NUL that reaches a statement unchecked', () => {
  it('is answered as the client’s error, BAD_USER_INPUT, not as a server fault', () => {
    const formatError = createErrorFormatter(createLogger('silent'));
    const error = new GraphQLError('text holds a NUL character, which cannot be stored', {
      path: ['fileClaim'],
      originalError: new UnstorableTextError(),
    });
    expect(formatError(error.toJSON(), error)).toEqual({
      message: 'text holds a NUL character, which cannot be stored',
      path: ['fileClaim'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe.runIf(onPostgres)('strings on the way to PostgreSQL and back', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('are quoted by claimgraph’s platform', () => {
    expect(t.orm.em.getPlatform()).toBeInstanceOf(ClaimgraphPostgreSqlPlatform);
    expect(t.orm.em.getConnection().getPlatform()).toBeInstanceOf(ClaimgraphPostgreSqlPlatform);
  });

  it('of arbitrary Unicode come back unchanged from literals the platform wrote, a thousand at a time', async () => {
    const random = seeded(20261208);
    const texts = Array.from({ length: 5000 }, () => arbitraryText(random));
    const connection = t.orm.em.getConnection();
    for (let start = 0; start < texts.length; start += 1000) {
      const batch = texts.slice(start, start + 1000);
      const rows: { value: string }[] = await connection.execute(
        `select value from unnest(array[${batch.map(quoteLiteral).join(', ')}]::text[]) with ordinality as literal(value, position) order by position`,
      );
      const back = rows.map((row) => row.value);
      for (const [index, text] of batch.entries())
        expect(back[index], JSON.stringify(text)).toBe(asUtf8(text));
    }
  });

  it('holding NUL are refused before a statement is written: PostgreSQL cannot hold it', async () => {
    for (const text of ['\u0000', "a\u0000'; select 1; --", "\\\u0000'"]) {
      expect(() => quoteLiteral(text)).toThrow(UnstorableTextError);
    }
    // Sent as it is, NUL breaks the wire protocol.
    await expect(t.orm.em.getConnection().execute("select 'a\u0000b' as value")).rejects.toMatchObject({
      code: '08P01',
    });
  });

  it('come back unchanged, through the unit of work and through a query with parameters', async () => {
    const texts = AWKWARD.filter((text) => text.length > 0);
    const em = t.orm.em.fork();
    texts.forEach((text, index) =>
      em.create(Customer, {
        externalRef: `literal-${index}`,
        name: text,
        email: `literal-${index}@example.com`,
      }),
    );
    await em.flush();
    const stored = await t.orm.em
      .fork()
      .find(Customer, { externalRef: { $like: 'literal-%' } }, { orderBy: { id: 'asc' } });
    expect(stored.map((customer) => customer.name)).toEqual(texts);
    const found = await t.orm.em.fork().find(Customer, { name: { $in: texts } });
    expect(found).toHaveLength(texts.length);
    for (const text of texts) {
      const [row] = await t.orm.em.getConnection().execute<{ text: string }[]>('select ? as text', [text]);
      expect(row!.text).toBe(text);
    }
  });
});
