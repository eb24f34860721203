import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122195056_Initial } from './Migration20261122195056_Initial';
import { Migration20261122203454_ClaimWorkflow } from './Migration20261122203454_ClaimWorkflow';

export const SQLITE_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122195056_Initial', class: Migration20261122195056_Initial },
  { name: 'Migration20261122203454_ClaimWorkflow', class: Migration20261122203454_ClaimWorkflow },
];
