import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import type { DatabaseTarget } from '../../src/db/orm';

/**
 * The whole environment of a server process the bench starts over `target`: nothing of the
 * caller's environment but the essentials, so that a figure does not depend on what happened to be
 * exported in the shell (a REDIS_URL, a JOB_POLL_INTERVAL_MS …). Unset settings take claimgraph's
 * defaults.
 */
export function serverEnv(target: DatabaseTarget, settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    // The load comes from a handful of principals: allowances it never reaches, with the limiter
    // still in each request's path.
    RATE_LIMIT_BURST: '1000000000',
    RATE_LIMIT_PER_SECOND: '1000000000',
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : { SQLITE_PATH: target.sqlitePath }),
    ...(process.env.BENCH_CPU_PROF_DIR ? { BENCH_CPU_PROF_DIR: process.env.BENCH_CPU_PROF_DIR } : {}),
    ...settings,
  };
}
