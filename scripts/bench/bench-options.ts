import { parseArgs } from 'node:util';

export const SECTIONS = ['http', 'sql', 'fanout', 'filing', 'webhooks'] as const;
export type Section = (typeof SECTIONS)[number];

/** What `npm run bench -- [options]` may change; defaults give the published figures. */
export interface BenchOptions {
  sections: Section[];
  /** Measured seconds of each load, after `warmupSeconds` whose figures are dropped. */
  seconds: number;
  warmupSeconds: number;
  /** Concurrent HTTP connections of the claim-status load. */
  connections: number;
  /** Events sent to the fan-out's subscribers before the measured ones, left out of the latencies. */
  fanoutWarmupEvents: number;
  /** Seconds of filing before the measured period of the fileClaim section (it has its own: see filing-bench.ts). */
  filingWarmupSeconds: number;
  /** Concurrent clients filing claims. */
  filingClients: number;
  /** claimgraph instances the filing clients are split between (one database). */
  filingInstances: number;
  /** Further instances doing the background work (screening) alone, with no clients. */
  filingWorkers: number;
  /**
   * Customers (with an order each) written before the filing load: one filing each. By default
   * enough for the warm-up and the measured period at 1,000 filings a second on PostgreSQL (a
   * faster machine filed 780 a second and used up the 600 a second sized for before) and 200 on
   * SQLite; writing them is most of the section's time.
   */
  filingCustomers: number;
  /** Settings of the filing section's server beyond claimgraph's defaults (--filing-env KEY=VALUE, repeatable). */
  filingServerSettings: Record<string, string>;
  /** Webhook endpoints of the webhooks section, and the events each of them receives (after two warm-up events). */
  webhookEndpoints: number;
  webhookEvents: number;
  /** Directory for CPU profiles of the servers' measured periods; none when absent. */
  cpuProfileDir?: string;
}

export const USAGE = `npm run bench -- [--sections=http,sql,fanout,filing,webhooks] [--seconds=10] [--warmup=5]
                 [--connections=16] [--fanout-warmup=5] [--filing-warmup=20] [--filing-clients=64|16] [--filing-instances=1] [--filing-workers=1|0] [--filing-customers=30000|6000] [--filing-env KEY=VALUE ...]
                 [--webhook-endpoints=1000] [--webhook-events=10] [--cpu-prof=DIR]`;

function positive(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer\n${USAGE}`);
  return value;
}

/**
 * `onPostgres` picks the fileClaim defaults: on PostgreSQL a serving instance with 64 clients and
 * a worker instance doing the screening, as claimgraph is deployed on two cores (one Node process
 * uses one core); on SQLite, an embedded file written by one process, a single instance with 16.
 */
export function parseBenchOptions(args: string[], onPostgres: boolean): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      sections: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'fanout-warmup': { type: 'string' },
      'filing-warmup': { type: 'string' },
      'filing-clients': { type: 'string' },
      'filing-customers': { type: 'string' },
      'filing-instances': { type: 'string' },
      'filing-workers': { type: 'string' },
      'filing-env': { type: 'string', multiple: true },
      'webhook-endpoints': { type: 'string' },
      'webhook-events': { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const sections = (values.sections ?? SECTIONS.join(',')).split(',').map((name) => name.trim());
  for (const name of sections) {
    if (!(SECTIONS as readonly string[]).includes(name))
      throw new Error(`unknown section "${name}"\n${USAGE}`);
  }
  const seconds = positive('seconds', values.seconds, 10);
  const filingWarmupSeconds = positive('filing-warmup', values['filing-warmup'], 20, true);
  return {
    sections: sections as Section[],
    seconds,
    warmupSeconds: positive('warmup', values.warmup, 5, true),
    connections: positive('connections', values.connections, 16),
    fanoutWarmupEvents: positive('fanout-warmup', values['fanout-warmup'], 5, true),
    filingWarmupSeconds,
    filingClients: positive('filing-clients', values['filing-clients'], onPostgres ? 64 : 16),
    filingCustomers: positive(
      'filing-customers',
      values['filing-customers'],
      (filingWarmupSeconds + seconds) * (onPostgres ? 1000 : 200),
    ),
    filingInstances: positive('filing-instances', values['filing-instances'], 1),
    filingWorkers: positive('filing-workers', values['filing-workers'], onPostgres ? 1 : 0, true),
    filingServerSettings: settingsOf(values['filing-env'] ?? [], '--filing-env', USAGE),
    webhookEndpoints: positive('webhook-endpoints', values['webhook-endpoints'], 1000),
    webhookEvents: positive('webhook-events', values['webhook-events'], 10),
    cpuProfileDir: values['cpu-prof'],
  };
}

/** Server settings given as KEY=VALUE pairs to `option`. */
export function settingsOf(pairs: string[], option: string, usage: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`${option} takes KEY=VALUE, got "${pair}"\n${usage}`);
    settings[match[1]] = match[2]!;
  }
  return settings;
}
