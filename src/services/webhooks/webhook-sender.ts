import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { resolveTarget, type TargetPolicy } from './target-address';

/** The most of an answer's body kept with the attempt. */
export const EXCERPT_BYTES = 1024;

/** What one attempt came to. */
export interface AttemptOutcome {
  /** The endpoint answered 2xx. */
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status: number | null;
  latencyMs: number;
  /** The start of the answer's body. */
  excerpt: string | null;
  /** Why the attempt failed; null when it succeeded. */
  error: string | null;
}

export interface OutgoingWebhook {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Sends one delivery attempt: resolves and checks the target (see target-address.ts), connects to
 * exactly the checked address (the `lookup` handed to the request answers it, so the socket cannot
 * reach another), POSTs the body, and reads at most the start of the answer. Redirects are not
 * followed: a 3xx is a failed attempt. The whole attempt, resolution included, ends at `timeoutMs`.
 */
export async function sendWebhook(
  message: OutgoingWebhook,
  policy: TargetPolicy,
  timeoutMs: number,
  /** Cuts the attempt short (the instance is stopping). */
  stop?: AbortSignal,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string, status: number | null = null, excerpt: string | null = null) => ({
    ok: false,
    status,
    latencyMs: elapsed(),
    excerpt,
    error,
  });
  const url = new URL(message.url);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const stopped = () => abort.abort();
  stop?.addEventListener('abort', stopped);
  try {
    const target = await Promise.race([
      resolveTarget(url, policy),
      new Promise<null>((resolve) => abort.signal.addEventListener('abort', () => resolve(null))),
    ]);
    if (target === null) return failed(`timed out after ${timeoutMs} ms`);
    if ('refused' in target) return failed(target.refused);
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const answer = await post(url, message, pinned, abort.signal);
    if ('error' in answer) {
      return failed(abort.signal.aborted ? `timed out after ${timeoutMs} ms` : answer.error);
    }
    if (answer.status >= 200 && answer.status < 300) {
      return { ok: true, status: answer.status, latencyMs: elapsed(), excerpt: answer.excerpt, error: null };
    }
    const why =
      answer.status >= 300 && answer.status < 400
        ? `answered ${answer.status}: redirects are not followed`
        : `answered ${answer.status}`;
    return failed(why, answer.status, answer.excerpt);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', stopped);
  }
}

function post(
  url: URL,
  message: OutgoingWebhook,
  lookup: LookupFunction,
  signal: AbortSignal,
): Promise<{ status: number; excerpt: string } | { error: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup,
        // A fresh connection per attempt: a pooled socket would have been opened to whatever
        // address the host had when it was opened.
        agent: false,
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message.body),
          'user-agent': 'claimgraph-webhooks/1',
          ...message.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () => {
          resolve({
            status: response.statusCode ?? 0,
            // PostgreSQL text holds no NUL character.
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replaceAll('\0', ''),
          });
          // The rest of the answer is of no use: close the connection rather than read it.
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          if (kept >= EXCERPT_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: describe(error) }));
    request.end(message.body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ECONNRESET') return 'connection reset';
  if (error.name === 'AbortError') return 'aborted';
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
