import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs. Request variables and tokens are never logged in the first place; redaction by
 * path is the second line of defence, for tokens, anything shaped like request data, and the
 * values a database error carries (bound parameters, PostgreSQL's `detail` with the conflicting
 * row), which may be personal data such as an injury description.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'claimgraph' },
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          'req.headers.authorization',
          'connectionParams',
          'variables',
          '*.variables',
          'injuryDetails',
          '*.injuryDetails',
          'err.params',
          'err.parameters',
          'err.detail',
          'err.where',
          'err.cause.params',
          'err.cause.parameters',
          'err.cause.detail',
          'err.cause.where',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
