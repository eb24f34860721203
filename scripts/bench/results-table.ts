/** The bench's figures as one markdown table: what was measured, the result, and its target. */
import type { ClaimStatusFigures, ServerFigures } from './claim-status-bench';
import type { FanoutResult } from './fanout';
import type { FilingFigures } from './filing-bench';
import type { StatementFigures } from './sql-statements-bench';
import type { WebhookFigures } from './webhook-bench';

export interface BenchResults {
  onPostgres: boolean;
  claimStatus?: ClaimStatusFigures;
  statements?: StatementFigures[];
  fanout?: FanoutResult[];
  filing?: FilingFigures;
  webhooks?: WebhookFigures[];
}

const CLAIM_GRAPH_TO_GRAPHQL_JS = 0.5;
const FANOUT_P99_MS = 100;
const FILINGS_PER_SECOND = 500;

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? `${value.toFixed(1)} ms` : `${count(value)} ms`);
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

function load(figures: ServerFigures): string {
  return `${count(figures.perSecond)} req/s · p50 ${ms(figures.p50Ms)} · p99 ${ms(figures.p99Ms)} · server CPU ${figures.cpuMsPerRequest.toFixed(2)} ms/req${
    figures.failures > 0 ? ` · ${count(figures.failures)} failed` : ''
  }`;
}

export function resultsTable(results: BenchResults): string[] {
  const rows: [string, string, string][] = [];
  const status = results.claimStatus;
  if (status) {
    const each = `${status.connections} connections, ${status.seconds} s`;
    rows.push([`claim status over HTTP (${each}): raw node:http, fixed JSON`, load(status.raw), '']);
    rows.push([
      '… graphql-js `execute`, parse/validate cached, same schema, data and context',
      load(status.graphqlJs),
      '',
    ]);
    rows.push(['… claimgraph (Apollo Server + Express)', load(status.claimgraph), '']);
    const ratio = status.claimgraph.perSecond / status.graphqlJs.perSecond;
    const byCpu = status.graphqlJs.cpuMsPerRequest / status.claimgraph.cpuMsPerRequest;
    rows.push([
      'claimgraph ÷ graphql-js (req/s)',
      `${ratio.toFixed(2)} (by server CPU per request: ${byCpu.toFixed(2)})`,
      `≥ ${CLAIM_GRAPH_TO_GRAPHQL_JS}: ${verdict(ratio >= CLAIM_GRAPH_TO_GRAPHQL_JS)}`,
    ]);
    rows.push([
      'claimgraph ÷ raw (req/s)',
      (status.claimgraph.perSecond / status.raw.perSecond).toFixed(3),
      '',
    ]);
  }
  const statements = results.statements;
  if (statements) {
    const constant = statements.every(({ statements: n }) => n === statements[0].statements);
    rows.push([
      `SQL statements per request: claims(first: ${statements.map((f) => f.pageSize).join(' / ')}) with order, seller, timeline, payout`,
      `${statements.map((f) => f.statements).join(' / ')} (claims returned ${statements.map((f) => f.claims).join(' / ')}, with a payout ${statements
        .map((f) => f.withPayout)
        .join(' / ')})`,
      `constant in N: ${verdict(constant)}`,
    ]);
  }
  for (const fanout of results.fanout ?? []) {
    const goal = fanout.subscribers >= 1000;
    rows.push([
      `subscription fan-out: ${count(fanout.subscribers)} claimEvents subscribers, ${fanout.events} events 50 ms apart${
        fanout.warmupEvents > 0 ? `, after ${fanout.warmupEvents} warm-up events` : ''
      }`,
      `${(fanout.deliveredShare * 100).toFixed(1)} % delivered · commit→receipt p50 ${ms(fanout.p50Ms)} · p99 ${ms(fanout.p99Ms)}${
        fanout.warmupEvents > 0 ? ` (warm-up events: p99 ${ms(fanout.warmupP99Ms)})` : ''
      } · heap ${(fanout.bytesPerIdleSubscription / 1024).toFixed(1)} KB per idle subscription`,
      goal
        ? `100 % and p99 ≤ ${FANOUT_P99_MS} ms: ${verdict(fanout.deliveredShare === 1 && fanout.p99Ms <= FANOUT_P99_MS)}`
        : '',
    ]);
  }
  const filing = results.filing;
  if (filing) {
    const where = results.onPostgres ? 'PostgreSQL' : 'SQLite (the target is for PostgreSQL)';
    rows.push([
      `fileClaim on ${where}: ${filing.clients} clients, ${filing.instances === 1 ? 'one instance' : `${filing.instances} instances`}${
        filing.workers > 0
          ? ` and ${filing.workers === 1 ? 'one worker instance' : `${filing.workers} worker instances`} doing the screening (looking for it every ${filing.workerPollIntervalMs} ms)`
          : ''
      }, ${filing.seconds} s after ${filing.warmupSeconds} s of filing${filing.analyzed ? ' and an ANALYZE' : ''}, each claim on its own order of its own established customer, ${
        screeningOff(filing) ? 'screening off' : 'screening running'
      }${settingsNote(filing.serverSettings)}`,
      `${filing.perSecond.toFixed(1)} filings/s · p50 ${ms(filing.p50Ms)} · p99 ${ms(filing.p99Ms)} · server CPU ${filing.cpuMsPerFiling.toFixed(1)} ms/filing${
        filing.workers > 0
          ? ` (${filing.workerCpuMsPerFiling.toFixed(1)} of it in the worker${filing.workers > 1 ? 's' : ''})`
          : ''
      } · ${count(
        filing.filed,
      )} filed, ${count(filing.refused)} refused${filing.ranOut ? ' · customers ran out before the end' : ''}; ${filing.screenedPerSecond.toFixed(1)} claims screened/s meanwhile; by the end ${count(filing.screened)} of ${count(
        filing.claims,
      )} claims screened (${count(filing.referredToExperts)} referred to experts)${machineNote(filing)}`,
      !results.onPostgres
        ? `≥ ${FILINGS_PER_SECOND}/s on PostgreSQL: not measured here`
        : screeningOff(filing)
          ? `≥ ${FILINGS_PER_SECOND}/s with screening running: not measured here (${filing.perSecond >= FILINGS_PER_SECOND ? 'reached' : 'not reached'} without)`
          : `≥ ${FILINGS_PER_SECOND}/s filed and screened: ${verdict(filing.perSecond >= FILINGS_PER_SECOND && filing.screenedPerSecond >= FILINGS_PER_SECOND)}`,
    ]);
  }
  const healthyRun = results.webhooks?.find((run) => run.failingShare === 0);
  for (const run of results.webhooks ?? []) {
    const failing = Math.round(run.endpoints * run.failingShare);
    rows.push([
      `webhooks: ${count(run.endpoints)} endpoints on loopback${
        failing > 0 ? `, ${count(failing)} of them failing (half answer 500, half never answer)` : ''
      }, ${run.events} events 100 ms apart after ${run.warmupEvents} warm-up events`,
      `${count(run.perSecond)} deliveries/s · ${(run.deliveredShare * 100).toFixed(1)} % delivered${
        failing > 0 ? ' to the healthy endpoints' : ''
      } · commit→receipt p50 ${ms(run.p50Ms)} · p99 ${ms(run.p99Ms)}${
        failing > 0 && healthyRun ? ` (all healthy: p99 ${ms(healthyRun.p99Ms)})` : ''
      }`,
      '',
    ]);
  }
  return [
    '| measurement | result | target |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/**
 * The whole machine meanwhile: whether its cores were full, what a filing cost it in all (the
 * figure that tells runs on machines of different speeds apart: at 500 a second, two cores allow
 * 4 ms), and PostgreSQL's share when it runs here.
 */
function machineNote(filing: FilingFigures): string {
  const machine = filing.machine;
  if (!machine) return '';
  const perFiling =
    filing.perSecond > 0
      ? ` (${((machine.busyCores * 1000) / filing.perSecond).toFixed(1)} ms of CPU a filing, the load generator's included)`
      : '';
  const postgres =
    machine.postgresMs > 0
      ? `, PostgreSQL ${(machine.postgresMs / Math.max(1, filing.filed)).toFixed(1)} ms CPU/filing`
      : '';
  return `; machine: ${machine.busyCores.toFixed(2)} of ${machine.cores} cores busy${perFiling}${postgres}`;
}

function settingsNote(settings: Record<string, string>): string {
  const pairs = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

function screeningOff(filing: FilingFigures): boolean {
  return filing.serverSettings.JOB_POLL_INTERVAL_MS === '0';
}
