import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/core';
import { issueToken } from './auth/token-issuer';
import { ROLES } from './auth/role';
import { type Config, loadConfig } from './config';
import { DEMO_PRINCIPALS, loadDemoData } from './db/demo-data';
import { openDatabase } from './db/orm';
import { Order } from './entities/order.entity';
import { toGlobalId } from './graphql/global-id';
import { type Clock, systemClock } from './services/common/clock';
import { loggableError } from './server/loggable-error';
import { createLogger } from './server/logger';
import type { Logger } from 'pino';
import { type RunningServer, startServer } from './server/create-server';

export interface Launched {
  server: RunningServer;
  orm: MikroORM;
  /** Drains the server (see `RunningServer.stop`), then closes the database. */
  shutdown(): Promise<void>;
}

/** Past the drain's grace: time for the background work to end and the database to close. */
const SHUTDOWN_MARGIN_MS = 5_000;

/**
 * Opens (and migrates) the database, loads the demo data when enabled, starts the server and
 * prints where it listens with one demo token per role.
 */
export async function launch(
  env: NodeJS.ProcessEnv = process.env,
  options: { clock?: Clock; write?: (line: string) => void } = {},
): Promise<Launched> {
  const config = loadConfig(env);
  const clock = options.clock ?? systemClock;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(config.logLevel);
  stopOnSignals(config, logger);
  const orm = await openDatabase(config);
  try {
    const loaded = config.demoData ? await loadDemoData(orm, clock.now()) : false;
    const server = await startServer({ config, orm, clock, logger });
    await printBanner(config, server, orm, loaded, write, logger);
    return {
      server,
      orm,
      shutdown: async () => {
        logger.info('draining');
        await server.stop();
        await orm.close();
        logger.info('stopped');
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

async function printBanner(
  config: Config,
  server: RunningServer,
  orm: MikroORM,
  loadedNow: boolean,
  write: (line: string) => void,
  logger: Logger,
): Promise<void> {
  const database = config.databaseUrl ? 'PostgreSQL' : `SQLite (${config.sqlitePath})`;
  write(`claimgraph is listening on ${server.url} (HTTP and WebSocket) — ${database}`);
  if (config.demoData) write(loadedNow ? 'Demo data loaded.' : 'Demo data already present.');
  write(
    config.notifications.smtpUrl
      ? `Email: notifications are sent through ${new URL(config.notifications.smtpUrl).host}, from ${config.notifications.emailFrom}.`
      : 'Email: off (SMTP_URL is not set); notifications go to inboxes only.',
  );
  // Demo tokens are signed with the shared secret: shown only outside production.
  if (config.production || !config.auth.jwtSecret) return;
  write('');
  write('Demo tokens (valid 30 days) — send as "Authorization: Bearer <token>":');
  for (const role of ROLES) {
    const subject = DEMO_PRINCIPALS[role];
    write(
      `  ${role.padEnd(12)} sub=${subject.padEnd(12)} ${await issueToken(config.auth.jwtSecret, { role, subject })}`,
    );
  }
  // The server is serving already: a database failing now costs this line, not the instance.
  const demoOrder = await orm.em
    .fork()
    .findOne(Order, { externalRef: 'ord-9001' })
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'the demo order could not be read for the start banner');
      return null;
    });
  if (demoOrder)
    write(
      `\nDemo order of ${DEMO_PRINCIPALS.CUSTOMER} to file a claim on: ${toGlobalId('Order', demoOrder.id)}`,
    );
}

let launchedProcess: Launched | undefined;

/**
 * SIGTERM or SIGINT: drain and exit 0; exit 1 when the drain fails or outlasts its grace and
 * margin. A signal before the server is up exits at once.
 */
function stopOnSignals(config: Config, logger: Logger): void {
  if (require.main !== module) return;
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    if (!launchedProcess) process.exit(0);
    setTimeout(() => {
      logger.error('shutdown outlasted its grace; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + SHUTDOWN_MARGIN_MS).unref();
    launchedProcess.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  launch().then(
    (launched) => {
      launchedProcess = launched;
    },
    (error: unknown) => {
      // The error as a log would keep it: a database error's message quotes its statement.
      const failure = loggableError(error);
      process.stderr.write(`claimgraph could not start: ${failure.message}\n${failure.stack ?? ''}\n`);
      process.exit(1);
    },
  );
}
