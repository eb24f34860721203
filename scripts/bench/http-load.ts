/**
 * HTTP load from this process (autocannon) against a server in another: a fixed number of
 * keep-alive connections, each sending its next request as soon as the last one is answered.
 */
import autocannon from 'autocannon';

export interface LoadFigures {
  /** Answered requests per second over the measured period. */
  perSecond: number;
  requests: number;
  /** Latency percentiles in whole milliseconds (autocannon's histogram truncates). */
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  body?: string;
  /** Requests built one by one (a different body each time), instead of `body`. */
  requests?: autocannon.Request[];
}

/** Runs one bounded load and returns its figures. */
export async function runLoad(spec: LoadSpec, onStart?: (instance: autocannon.Instance) => void): Promise<LoadFigures> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        connections: spec.connections,
        duration: spec.seconds,
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
        requests: spec.requests,
        timeout: 30,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    onStart?.(instance);
  });
  return {
    perSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
