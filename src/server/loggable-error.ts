import { DriverException } from '@mikro-orm/core';

/** What a log (or a job's last error) keeps of an error: its kind, its codes and where it arose. */
export interface LoggableError {
  type: string;
  message: string;
  code?: string;
  /** Names of schema objects a database error points at: never values. */
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  stack?: string;
  cause?: LoggableError;
}

/** Some of a pg error's fields name things; every other field (detail, where, hint…) may hold values. */
const NAMING_FIELDS = ['constraint', 'table', 'column', 'routine'] as const;

/** A SQL statement anywhere in a message, across line breaks. */
const STATEMENT =
  /\b(insert\s+into|update\s+\S+\s+set|delete\s+from|select\b[\s\S]+?\bfrom|with\s+\S+\s+as)\b/i;

/** How deep a chain of causes is followed. */
const MAX_CAUSES = 3;

/**
 * An error as it may be logged. A database error's message quotes the statement with the values
 * it wrote (the query builder inlines them) and some of the database's own messages quote the
 * value they refused; a JSON parse error quotes the body. Of those only the kind and the codes are
 * kept, and the stack's frames: no value a client sent reaches a log, whichever error carries it.
 * Only the fields listed in LoggableError are kept of any error.
 */
export function loggableError(error: unknown, depth = 0): LoggableError {
  if (!(error instanceof Error))
    return { type: typeof error, message: 'a thrown value that is not an Error' };
  const fields = error as unknown as Record<string, unknown>;
  const quotesData = carriesData(error);
  const code =
    typeof fields.code === 'string' || typeof fields.code === 'number' ? String(fields.code) : undefined;
  const logged: LoggableError = {
    type: error.name,
    message: quotesData
      ? `${error.name}${code ? ` ${code}` : ''} (message withheld: it may quote data)`
      : error.message,
  };
  if (code) logged.code = code;
  for (const field of NAMING_FIELDS) {
    if (typeof fields[field] === 'string') logged[field] = fields[field];
  }
  if (error.stack) logged.stack = quotesData ? framesOf(error.stack) : error.stack;
  if (error.cause !== undefined && depth < MAX_CAUSES) logged.cause = loggableError(error.cause, depth + 1);
  return logged;
}

/** Whether an error comes from the database driver or from parsing a request body. */
function carriesData(error: Error): boolean {
  const fields = error as unknown as Record<string, unknown>;
  return (
    error instanceof DriverException ||
    // pg's DatabaseError and the SQLite drivers' errors, before MikroORM wraps them.
    typeof fields.severity === 'string' ||
    (typeof fields.code === 'string' && fields.code.startsWith('SQLITE')) ||
    /sqlite|libsql/i.test(error.name) ||
    // The query builder prefixes the driver's message with the statement, often over several lines.
    STATEMENT.test(error.message) ||
    // body-parser's JSON errors keep the body they could not parse.
    (error instanceof SyntaxError && 'body' in fields)
  );
}

function framesOf(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => line.trim().startsWith('at '))
    .join('\n');
}
