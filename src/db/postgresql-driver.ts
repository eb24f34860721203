import type { Configuration, Platform } from '@mikro-orm/core';
import { PostgreSqlDriver, PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * Text PostgreSQL cannot hold: NUL ends a string in its wire protocol, so a statement holding one
 * is refused as a protocol violation. Inputs refuse control characters first; this is the last
 * guard, for whatever input reaches a statement unchecked, and reads as the client's error.
 */
export class UnstorableTextError extends Error {
  constructor() {
    super('text holds a NUL character, which cannot be stored');
    this.name = 'UnstorableTextError';
  }
}

/**
 * A PostgreSQL string literal: quotes doubled, and in E'' form with backslashes doubled when there
 * are any, exactly as pg's `escapeLiteral` writes it (leading space included). NUL is refused.
 */
export function quoteLiteral(text: string): string {
  if (text.includes('\u0000')) throw new UnstorableTextError();
  const doubled = text.includes("'") ? text.replaceAll("'", "''") : text;
  return text.includes('\\') ? ` E'${doubled.replaceAll('\\', '\\\\')}'` : `'${doubled}'`;
}

/**
 * The ORM sends every statement with its values written into the text, each string through pg's
 * `escapeLiteral`, which builds the literal a character at a time: a claim's description became
 * hundreds of intermediate strings, and quoting values was the largest source of garbage in both
 * the serving and the screening process. Here a string is quoted with two native replacements.
 */
export class ClaimgraphPostgreSqlPlatform extends PostgreSqlPlatform {
  override escape(value: unknown): string {
    return typeof value === 'string' ? quoteLiteral(value) : super.escape(value);
  }
}

/** MikroORM's PostgreSQL driver on the platform above. */
export class ClaimgraphPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    // The parent's constructor fixes its platform; the configuration and connections read it from
    // the driver only afterwards.
    (this as unknown as { platform: Platform }).platform = new ClaimgraphPostgreSqlPlatform();
  }
}
