import compression from 'compression';
import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for the configured origins only. A cross-origin page sends JSON with its token, which
 * makes the browser ask first (a preflight); the answer allows the headers a client sends and
 * shows it the ones it reads. Apollo's CSRF prevention stays as it is: a request it would refuse
 * is not made simple by being allowed here.
 */
export function corsFor(origins: string[]): RequestHandler[] {
  if (origins.length === 0) return [];
  return [
    cors({
      origin: origins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    }),
  ];
}

/** gzip or brotli, as the client accepts, for answers of 1 KB and more. */
export function compressAnswers(): RequestHandler {
  return compression({ threshold: 1024 });
}
