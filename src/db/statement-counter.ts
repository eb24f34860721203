import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';

/**
 * Counts the SQL statements the database receives from `orm` while `work` runs: what a request
 * costs in round trips, whatever the ORM batches or lazily loads. Anything else using the same ORM
 * meanwhile (background jobs, the event feed's poll) is counted too, so callers keep it quiet.
 */
export async function countStatements(orm: MikroORM, work: () => Promise<unknown>): Promise<number> {
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  let count = 0;
  const onQuery = () => {
    count += 1;
  };
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  return count;
}
