/**
 * SQL statements per request for a page of claims with nested relations, for pages of 1, 10 and
 * 100 claims: constant when every relation is batched by a loader. claimgraph runs in this process
 * (no load is measured here), so that the statements its ORM sends can be counted as the tests
 * count them; background work is off while counting.
 */
import type { MikroORM } from '@mikro-orm/core';
import { loadConfig } from '../../src/config';
import type { DatabaseTarget } from '../../src/db/orm';
import { openDatabase } from '../../src/db/orm';
import { countStatements } from '../../src/db/statement-counter';
import { systemClock } from '../../src/services/common/clock';
import { startServer } from '../../src/server/create-server';
import { createLogger } from '../../src/server/logger';
import { agentToken, establishCustomers, fileClaim, recordCatalogue } from './bench-marketplace';
import { postGraphQL } from './graphql-post';
import { serverEnv } from './server-env';

export const PAGE_SIZES = [1, 10, 100] as const;

const CLAIMS_NESTED = `query ClaimsNested($first: Int!) {
  claims(first: $first) {
    edges { node {
      id status
      order { id externalRef }
      seller { id name }
      timeline { sequence type message }
      payout { amount { amount currencyCode } status }
    } }
  }
}`;

interface ClaimsPage {
  claims: { edges: { node: { timeline: unknown[]; payout: unknown } }[] };
}

export interface StatementFigures {
  pageSize: number;
  claims: number;
  /** Claims of the page that have a payout, so that the payout relation was really followed. */
  withPayout: number;
  statements: number;
}

/**
 * Waits until the ORM has sent nothing for 100 ms (at most 5 s): the event feed reads the events of
 * the last commits on its wake-up, and those reads must not be counted as the request's.
 */
async function untilQuiet(orm: MikroORM): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const statements = await countStatements(orm, () => new Promise((resolve) => setTimeout(resolve, 100)));
    if (statements === 0) return;
  }
}

export async function benchSqlStatements(target: DatabaseTarget): Promise<StatementFigures[]> {
  const config = loadConfig(serverEnv(target, { JOB_POLL_INTERVAL_MS: '0', EVENT_POLL_INTERVAL_MS: '0' }));
  const orm = await openDatabase(config);
  const server = await startServer({ config, orm, clock: systemClock, logger: createLogger('silent') });
  try {
    const agent = await agentToken();
    await recordCatalogue(server.url, agent);
    const customers = await establishCustomers(server.url, agent, 'page-customer', Math.max(...PAGE_SIZES));
    for (const customer of customers) await fileClaim(server.url, customer);
    // Screening routes these small claims to a concession and pays them: a timeline and a payout each.
    await server.jobs.runDue();
    const figures: StatementFigures[] = [];
    for (const pageSize of PAGE_SIZES) {
      await untilQuiet(orm);
      let page: ClaimsPage | undefined;
      const statements = await countStatements(orm, async () => {
        page = await postGraphQL<ClaimsPage>(server.url, agent, CLAIMS_NESTED, { first: pageSize });
      });
      const edges = page!.claims.edges;
      figures.push({
        pageSize,
        claims: edges.length,
        withPayout: edges.filter(({ node }) => node.payout !== null).length,
        statements,
      });
    }
    return figures;
  } finally {
    await server.stop();
    await orm.close();
  }
}
