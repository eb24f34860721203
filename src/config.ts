import path from 'node:path';
import { FinancialRating, parseRating } from './entities/financial-rating';
import type { InsuranceRequirements } from './services/insurance/insurance-requirements';
import { type LoadedScreeningPolicy, loadScreeningPolicy } from './services/screening/screening-policy';

/** Every setting claimgraph reads from the environment, parsed once at start. */
export interface Config {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** Interface to listen on: loopback outside production, every interface in production. */
  host: string;
  /**
   * How long an idle keep-alive connection stays open. Longer than clients' and load balancers'
   * own idle timeouts, so that they close an idle connection first: a server closing it races a
   * client sending its next request on it, which then fails.
   */
  keepAliveTimeoutMs: number;
  /**
   * On SIGTERM or SIGINT: how long requests in flight may take to finish before their connections
   * are closed; then the database closes and the process exits.
   */
  shutdownGraceMs: number;
  /**
   * Browser origins (scheme, host and port) that may call the API from their pages: answered
   * with CORS headers. None by default: only same-origin pages and non-browser clients.
   */
  corsOrigins: string[];
  /** PostgreSQL connection string; when absent the embedded SQLite file is used. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Largest PostgreSQL connection pool per instance. */
  poolMax: number;
  /** Loads the demo customers, sellers, products and orders once into an empty database. */
  demoData: boolean;
  auth: {
    jwtSecret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
  };
  logLevel: string;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    maxBodyBytes: number;
    /** WebSocket connections one principal may hold open on one instance. */
    maxSocketsPerPrincipal: number;
    /** Operations (subscriptions, or queries in flight) one WebSocket may run at once. */
    maxOperationsPerSocket: number;
  };
  rateLimit: {
    /** Requests one principal may make at once. */
    burst: number;
    /** Requests per second a principal's allowance refills with; 0 turns limiting off. */
    perSecond: number;
  };
  claims: {
    supportedCurrencies: string[];
    /** Most filings written together in one transaction (group commit); 1 writes each alone. */
    filingBatchMax: number;
    /** Most filing transactions open at once. */
    filingBatchesInFlight: number;
  };
  events: {
    /** Redis for waking event subscribers across instances; in-process when absent. */
    redisUrl?: string;
    /** Live events held for one slow subscriber before it is closed with its resume cursor. */
    subscriberBufferLimit: number;
    /** Safety poll of the event table, for wake-ups that got lost. */
    pollMs: number;
  };
  webhooks: {
    /** Only https URLs are accepted (production). */
    httpsOnly: boolean;
    /**
     * Host names and addresses deliveries may go to although they are private or loopback
     * (lower case): for tests and development receivers. Empty in production as a rule.
     */
    allowedHosts: string[];
    /** Longest one attempt may take, connection and answer included. */
    timeoutMs: number;
    /** How long a delivery is retried, from its first attempt, before it is marked failed. */
    retryHours: number;
    /** The first retry's delay; each further one doubles it (with jitter). */
    retryBaseSeconds: number;
    /** An endpoint whose every attempt failed for this long is disabled. */
    disableAfterDays: number;
    /** How long the secret before a rotation still signs beside the new one. */
    secretOverlapHours: number;
    /** Endpoints delivered to at once by one instance (healthy ones; failing or slow ones get a quarter more). */
    concurrency: number;
    /** How often due deliveries are looked for besides the wake-ups on commits; 0 turns the poll off. */
    pollMs: number;
  };
  screening: {
    /** Thresholds and weights: the built-in policy, or SCREENING_POLICY_FILE's. */
    policy: LoadedScreeningPolicy;
    /** Most claims screened together in one transaction; 1 screens each alone. */
    batchMax: number;
  };
  insurance: {
    /** What a seller's product-liability cover must meet to count (rule 6). */
    requirements: InsuranceRequirements;
    /** Days partner insurers have to answer a quote request. */
    quoteResponseDays: number;
    /** Expiry reminders this many days before cover ends. */
    expiryReminderDays: number[];
  };
  notifications: {
    /** How often notifications are made of new events and due emails are sent; 0 turns it off. */
    pollMs: number;
    /** SMTP server emails are sent through (nodemailer URL); absent: inbox only. */
    smtpUrl?: string;
    /** The sender of every email. */
    emailFrom: string;
    /** Attempts at one email before it is marked failed. */
    emailMaxAttempts: number;
  };
  workflow: {
    /** Claims below this amount (in the claim's currency) are paid by the marketplace directly. */
    concessionThreshold: string;
    sellerResponseHours: number;
    /** Reminders this many hours before the response deadline. */
    reminderHoursBefore: number[];
    insuranceGraceDays: number;
    appealWindowDays: number;
    /** How often due work is looked for; 0 turns the background processor off. */
    jobPollIntervalMs: number;
  };
}

/** Used only outside production, so that a fresh clone runs without set-up. */
export const DEVELOPMENT_JWT_SECRET = 'claimgraph-development-secret-do-not-use-in-production';

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value < 1) throw new Error(`${name} must be at least 1, got "${env[name]}"`);
  return value;
}

function decimal(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^\d{1,12}(\.\d{1,4})?$/.test(raw)) throw new Error(`${name} must be a decimal amount, got "${raw}"`);
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function integerList(env: NodeJS.ProcessEnv, name: string, fallback: string): number[] {
  return (env[name] ?? fallback)
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => integer({ [name]: part.trim() }, name, 0));
}

function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((origin) => {
      let parsed: URL | null = null;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = null;
      }
      if (!parsed || parsed.origin !== origin)
        throw new Error(`${name} must list origins such as https://app.example.com, got "${origin}"`);
      return origin;
    });
}

function rating(env: NodeJS.ProcessEnv, name: string, fallback: FinancialRating): FinancialRating {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = parseRating(raw);
  if (!parsed) throw new Error(`${name} must be a financial rating such as "A-", got "${raw}"`);
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const jwtSecret = env.AUTH_JWT_SECRET || (production ? undefined : DEVELOPMENT_JWT_SECRET);
  const jwksUrl = env.AUTH_JWKS_URL || undefined;
  if (!jwtSecret && !jwksUrl) {
    throw new Error('In production AUTH_JWT_SECRET or AUTH_JWKS_URL must be set');
  }
  const currencies = (env.SUPPORTED_CURRENCIES ?? 'USD,EUR,GBP,CAD')
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  for (const code of currencies) {
    if (!/^[A-Z]{3}$/.test(code)) throw new Error(`SUPPORTED_CURRENCIES has an invalid code "${code}"`);
  }
  const rateLimit = {
    burst: integer(env, 'RATE_LIMIT_BURST', 120),
    perSecond: integer(env, 'RATE_LIMIT_PER_SECOND', 30),
  };
  if (rateLimit.perSecond > 0 && rateLimit.burst < 1)
    throw new Error('RATE_LIMIT_BURST must be at least 1 while RATE_LIMIT_PER_SECOND is set');
  return {
    nodeEnv,
    production,
    port: integer(env, 'PORT', 4000),
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    keepAliveTimeoutMs: positiveInteger(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    databaseUrl,
    sqlitePath: path.resolve(env.SQLITE_PATH || path.join('data', 'claimgraph.sqlite')),
    poolMax: integer(env, 'DATABASE_POOL_MAX', 10),
    demoData: flag(env, 'DEMO_DATA', !databaseUrl),
    auth: {
      jwtSecret,
      jwksUrl,
      issuer: env.AUTH_JWT_ISSUER || undefined,
      audience: env.AUTH_JWT_AUDIENCE || undefined,
    },
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    limits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', 10),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', 15),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', 50),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', 2000),
      maxCost: integer(env, 'MAX_QUERY_COST', 5000),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 100 * 1024),
      maxSocketsPerPrincipal: positiveInteger(env, 'WS_MAX_CONNECTIONS_PER_PRINCIPAL', 20),
      maxOperationsPerSocket: positiveInteger(env, 'WS_MAX_SUBSCRIPTIONS_PER_SOCKET', 100),
    },
    rateLimit,
    claims: {
      supportedCurrencies: currencies,
      filingBatchMax: positiveInteger(env, 'FILING_BATCH_MAX', 50),
      filingBatchesInFlight: positiveInteger(env, 'FILING_BATCHES_IN_FLIGHT', 1),
    },
    events: {
      redisUrl: env.REDIS_URL || undefined,
      subscriberBufferLimit: integer(env, 'SUBSCRIBER_BUFFER_LIMIT', 1000),
      pollMs: integer(env, 'EVENT_POLL_INTERVAL_MS', 1000),
    },
    webhooks: {
      httpsOnly: production,
      allowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
        .split(',')
        .map((host) =>
          host
            .trim()
            .toLowerCase()
            .replace(/^\[(.*)\]$/, '$1'),
        )
        .filter(Boolean),
      timeoutMs: positiveInteger(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
      retryHours: positiveInteger(env, 'WEBHOOK_RETRY_HOURS', 72),
      retryBaseSeconds: positiveInteger(env, 'WEBHOOK_RETRY_BASE_SECONDS', 30),
      disableAfterDays: positiveInteger(env, 'WEBHOOK_DISABLE_AFTER_DAYS', 5),
      secretOverlapHours: integer(env, 'WEBHOOK_SECRET_OVERLAP_HOURS', 24),
      concurrency: positiveInteger(env, 'WEBHOOK_CONCURRENCY', 16),
      pollMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000),
    },
    screening: {
      policy: loadScreeningPolicy(env.SCREENING_POLICY_FILE || undefined),
      // Each batch costs a fixed set of statements and its own transaction whatever its size: in
      // interleaved runs under the filing load, batches of up to 100 or 200 took the worker 0.9–1.1 ms
      // of CPU a claim against 1.2 ms in batches of up to 50.
      batchMax: positiveInteger(env, 'SCREENING_BATCH_MAX', 100),
    },
    insurance: {
      requirements: {
        minPerOccurrence: decimal(env, 'INSURANCE_MIN_PER_OCCURRENCE', '1000000.00'),
        minAggregate: decimal(env, 'INSURANCE_MIN_AGGREGATE', '1000000.00'),
        maxDeductible: decimal(env, 'INSURANCE_MAX_DEDUCTIBLE', '10000.00'),
        minRating: rating(env, 'INSURANCE_MIN_RATING', FinancialRating.A_MINUS),
        additionalInsured: flag(env, 'INSURANCE_ADDITIONAL_INSURED', true),
      },
      quoteResponseDays: integer(env, 'QUOTE_RESPONSE_DAYS', 5),
      expiryReminderDays: integerList(env, 'POLICY_REMINDER_DAYS', '30,7'),
    },
    notifications: {
      pollMs: integer(env, 'NOTIFICATION_POLL_INTERVAL_MS', 1000),
      smtpUrl: env.SMTP_URL || undefined,
      emailFrom: env.EMAIL_FROM || 'claimgraph <no-reply@claimgraph.localhost>',
      emailMaxAttempts: positiveInteger(env, 'EMAIL_MAX_ATTEMPTS', 8),
    },
    workflow: {
      concessionThreshold: decimal(env, 'CONCESSION_THRESHOLD', '1000.00'),
      sellerResponseHours: integer(env, 'SELLER_RESPONSE_HOURS', 72),
      reminderHoursBefore: integerList(env, 'SELLER_REMINDER_HOURS', '24,1'),
      insuranceGraceDays: integer(env, 'INSURANCE_GRACE_DAYS', 7),
      appealWindowDays: integer(env, 'APPEAL_WINDOW_DAYS', 30),
      jobPollIntervalMs: integer(env, 'JOB_POLL_INTERVAL_MS', 1000),
    },
  };
}
