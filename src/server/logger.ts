import pino, { type DestinationStream, type Logger } from 'pino';
import { loggableError } from './loggable-error';
import { currentRequest } from './request-scope';

/**
 * Structured logs. Request variables and tokens are never logged in the first place; redaction by
 * path is the second line of defence, for tokens and anything shaped like request data. An error
 * logged as `err` keeps only what `loggableError` keeps: database errors carry the values they
 * failed on, which may be personal data such as an injury description.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'claimgraph' },
      serializers: { err: loggableError },
      // Every line written while a request is served names it.
      mixin: () => {
        const request = currentRequest();
        return request ? { requestId: request.requestId } : {};
      },
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
    },
    destination,
  );
}
