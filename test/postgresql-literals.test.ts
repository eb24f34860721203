import { escapeLiteral } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimgraphPostgreSqlPlatform, quoteLiteral } from '../src/db/postgresql-driver';
import { Customer } from '../src/entities/customer.entity';
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
