import type { MikroORM } from '@mikro-orm/core';
import { Role } from '../../src/auth/role';
import { issueToken } from '../../src/auth/token-issuer';
import { type Config, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { type DatabaseTarget, openDatabase } from '../../src/db/orm';
import { countStatements } from '../../src/db/statement-counter';
import { ManualClock } from '../../src/services/common/clock';
import { checkLedger, type LedgerBreach } from '../../src/services/money/ledger-check';
import { type RunningServer, startServer } from '../../src/server/create-server';
import { createLogger } from '../../src/server/logger';
import { createScratchDatabase, TEST_DIALECT } from './database';
import { GraphQLClient } from './graphql-client';
import { CapturedLogs } from './captured-logs';

/** Tests run at a fixed, controllable time. */
export const TEST_NOW = new Date('2026-06-15T12:00:00.000Z');

export interface TestServer {
  url: string;
  orm: MikroORM;
  clock: ManualClock;
  config: Config;
  server: RunningServer;
  dialect: typeof TEST_DIALECT;
  /** A client sending a token for this role and subject. */
  as(role: Role, subject: string): Promise<GraphQLClient>;
  agent(): Promise<GraphQLClient>;
  anonymous(): GraphQLClient;
  /** Runs every job due at the server's clock (screening, reminders, deadlines, grace ends). */
  runJobs(): Promise<number>;
  /** Makes notifications of every event committed so far and sends the emails due. */
  runNotifications(): Promise<{ notified: number; emailed: number }>;
  /** Makes deliveries of the events committed so far and every webhook attempt due at the server's clock; answers the attempts made. */
  deliverWebhooks(): Promise<number>;
  /** Breaches of the ledger's invariants (empty when the books are sound). */
  ledgerBreaches(): Promise<LedgerBreach[]>;
  /** Everything the server logged, at every level. */
  logs: CapturedLogs;
  /** Counts the SQL statements the database receives while `work` runs. */
  countStatements(work: () => Promise<unknown>): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts claimgraph on an ephemeral loopback port over an existing database; `stop` leaves the
 * database in place, so another instance can start on it (restarts, several instances).
 */
export async function startServerOn(
  target: DatabaseTarget,
  options: { clock?: ManualClock; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_DATA: 'false',
    // Tests run due work explicitly (server.jobs.runDue()) after moving the clock, and make
    // notifications when they want them (runNotifications).
    JOB_POLL_INTERVAL_MS: '0',
    NOTIFICATION_POLL_INTERVAL_MS: '0',
    // Likewise webhook deliveries (server.webhooks.runOnce()).
    WEBHOOK_POLL_INTERVAL_MS: '0',
    // Tests act fast as few principals: limits that never bite, but keep the limiter in the path.
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_PER_SECOND: '1000000',
    AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : { SQLITE_PATH: target.sqlitePath }),
    ...options.env,
  });
  const orm = await openDatabase(config);
  const clock = options.clock ?? new ManualClock(TEST_NOW);
  // Every test server logs everything into a capture that is searched for the PII canary on stop.
  const logs = new CapturedLogs(process.env.TEST_LOG_LEVEL ? process.stdout : undefined);
  const server = await startServer({ config, orm, clock, logger: createLogger('debug', logs) });
  const as = async (role: Role, subject: string) =>
    new GraphQLClient(server.url, await issueToken(config.auth.jwtSecret!, { role, subject }));
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    orm,
    clock,
    config,
    server,
    dialect: TEST_DIALECT,
    as,
    agent: () => as(Role.AGENT, 'agent-test'),
    anonymous: () => new GraphQLClient(server.url),
    runJobs: () => server.jobs.runDue(),
    runNotifications: () => server.notifications.runOnce(),
    deliverWebhooks: () => server.webhooks.runOnce(),
    ledgerBreaches: () => checkLedger(orm.em.fork()),
    countStatements: (work) => countStatements(orm, work),
    logs,
    stop: () => {
      stopped ??= server
        .stop()
        .then(() => orm.close(true))
        .then(() => logs.expectNoCanary());
      return stopped;
    },
  };
}

/** Starts claimgraph over a fresh database of the suite's dialect, dropped again by `stop`. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createScratchDatabase();
  const instance = await startServerOn(database.target, { env });
  return {
    ...instance,
    stop: async () => {
      await instance.stop();
      await database.drop();
    },
  };
}
