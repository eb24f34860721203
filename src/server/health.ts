import type { MikroORM } from '@mikro-orm/core';
import type { Express } from 'express';
import type { EventNotifier } from '../services/events/event-notifier';

/** How long the database may take to answer a readiness check before it counts as down. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

type Check = 'up' | 'down';

/** What `/readyz` answers: whether this instance should be sent traffic, and why. */
export interface Readiness {
  /**
   * `ready`; `degraded`: Redis is down, so live events reach other instances' subscribers only
   * through their safety poll (everything else works); `unavailable`: the database does not
   * answer; `stopping`: the instance is draining after SIGTERM.
   */
  status: 'ready' | 'degraded' | 'unavailable' | 'stopping';
  checks: { database: Check; redis?: Check };
}

/**
 * `/healthz` is liveness: the process answers, whatever its dependencies do (restarting it would
 * not bring a database back). `/readyz` is readiness: 200 while the instance can serve (ready or
 * degraded), 503 while it cannot (unavailable, stopping).
 */
export function mountHealth(
  app: Express,
  probe: { orm: MikroORM; notifier: EventNotifier; stopping: () => boolean },
): void {
  app.get('/healthz', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await readinessOf(probe);
    res.setHeader('cache-control', 'no-store');
    res.status(readiness.status === 'ready' || readiness.status === 'degraded' ? 200 : 503).json(readiness);
  });
}

async function readinessOf(probe: {
  orm: MikroORM;
  notifier: EventNotifier;
  stopping: () => boolean;
}): Promise<Readiness> {
  const database = await databaseAnswers(probe.orm);
  const redisConnected = probe.notifier.connected();
  const checks: Readiness['checks'] = {
    database: database ? 'up' : 'down',
    ...(redisConnected === null ? {} : { redis: redisConnected ? 'up' : 'down' }),
  };
  if (probe.stopping()) return { status: 'stopping', checks };
  if (!database) return { status: 'unavailable', checks };
  return { status: checks.redis === 'down' ? 'degraded' : 'ready', checks };
}

async function databaseAnswers(orm: MikroORM): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      orm.em
        .getConnection()
        .execute('select 1')
        .then(() => true),
      timeout,
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
