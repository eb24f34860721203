import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/**
 * Failures before a request reaches GraphQL (a body that is not JSON, one over the size limit)
 * answered in the GraphQL error shape. Express's own error page would print a stack trace
 * outside production.
 */
export function httpErrorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (status === 413) {
      res.status(413).json({
        errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      });
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({
        errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    logger.error({ err: error }, 'unexpected HTTP error');
    res.status(500).json({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  };
}
