/**
 * HTTP load from this process (autocannon) against a server in another: a fixed number of
 * keep-alive connections, each sending its next request as soon as the last one is answered.
 */
import autocannon from 'autocannon';
import { percentile } from './percentile';

/** One bounded load's raw outcome; several can be summed (interleaved rounds). */
export interface LoadRun {
  requests: number;
  seconds: number;
  /** Latency of every answered request, in milliseconds. */
  latenciesMs: number[];
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

export interface LoadFigures {
  /** Answered requests per second over the measured time. */
  perSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
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
  /** Requests a second across all connections; as fast as answers come when absent. */
  overallRate?: number;
}

/** Runs one bounded load; `onStart` may stop it early. */
export async function runLoad(
  spec: LoadSpec,
  onStart?: (instance: autocannon.Instance) => void,
): Promise<LoadRun> {
  const latenciesMs: number[] = [];
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
        overallRate: spec.overallRate,
        timeout: 30,
      },
      (error: Error | null, finished) => (error ? reject(error) : resolve(finished)),
    );
    // autocannon's own histogram keeps whole milliseconds; keep each request's exact time instead.
    instance.on('response', (_client, _status, _bytes, responseTimeMs: number) =>
      latenciesMs.push(responseTimeMs),
    );
    onStart?.(instance);
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    latenciesMs,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** The figures of one or more runs taken together. */
export function summarise(runs: LoadRun[]): LoadFigures {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const latencies = runs.flatMap((run) => run.latenciesMs).sort((a, b) => a - b);
  return {
    perSecond: requests / seconds,
    requests,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
}
