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
import { createLogger } from './server/logger';
import { type RunningServer, startServer } from './server/create-server';

export interface Launched {
  server: RunningServer;
  orm: MikroORM;
  shutdown(): Promise<void>;
}

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
  const orm = await openDatabase(config);
  try {
    const loaded = config.demoData ? await loadDemoData(orm, clock.now()) : false;
    const server = await startServer({ config, orm, clock, logger });
    await printBanner(config, server, orm, loaded, write);
    return {
      server,
      orm,
      shutdown: async () => {
        await server.stop();
        await orm.close();
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
  const demoOrder = await orm.em.fork().findOne(Order, { externalRef: 'ord-9001' });
  if (demoOrder)
    write(
      `\nDemo order of ${DEMO_PRINCIPALS.CUSTOMER} to file a claim on: ${toGlobalId('Order', demoOrder.id)}`,
    );
}

if (require.main === module) {
  launch().then(
    (launched) => {
      const stop = () => {
        launched.shutdown().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
