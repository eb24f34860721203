import pino, { type Logger } from 'pino';

/**
 * Structured logs. Tokens and anything that could hold request data are redacted by path, as a
 * second line of defence: request variables are never logged in the first place.
 */
export function createLogger(level: string): Logger {
  return pino({
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
      ],
      censor: '[redacted]',
    },
  });
}
