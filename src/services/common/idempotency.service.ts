import type { EntityManager } from '@mikro-orm/core';
import type { Viewer } from '../../auth/viewer';
import { rowsOf } from '../../db/rows';
import { IdempotencyRecord } from '../../entities/idempotency-record.entity';

export type IdempotencyLookup =
  { kind: 'new' } | { kind: 'replay'; resourceId: string } | { kind: 'reused'; resourceId: string };

/**
 * Idempotency keys, scoped to the caller (role and subject): the first result is stored with a hash
 * of the request; a retry with the same request replays it, a different request under the same key
 * is refused.
 */
export class IdempotencyService {
  scopeOf(viewer: Viewer): string {
    return `${viewer.role}:${viewer.subject}`;
  }

  async lookup(
    em: EntityManager,
    viewer: Viewer,
    operation: string,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyLookup> {
    const [lookup] = await this.lookupAll(em, operation, [{ viewer, key, requestHash }]);
    return lookup;
  }

  /** Several keys of one operation in one query, answered in the order asked. */
  async lookupAll(
    em: EntityManager,
    operation: string,
    requests: readonly { viewer: Viewer; key: string; requestHash: string }[],
  ): Promise<IdempotencyLookup[]> {
    if (requests.length === 0) return [];
    // Written out, not built from criteria: a filing batch asks for up to fifty keys at once. Each
    // key is a condition of its own, which PostgreSQL can only plan as a probe of the unique index.
    const records = await rowsOf<{ scope: string; key: string; request_hash: string; resource_id: string }>(
      em,
      `select scope, "key", request_hash, resource_id from idempotency_record
        where operation = ? and (${requests.map(() => '(scope = ? and "key" = ?)').join(' or ')})`,
      [operation, ...requests.flatMap((request) => [this.scopeOf(request.viewer), request.key])],
    );
    const byScopedKey = new Map(records.map((record) => [scopedKey(record.scope, record.key), record]));
    return requests.map((request) => {
      const record = byScopedKey.get(scopedKey(this.scopeOf(request.viewer), request.key));
      if (!record) return { kind: 'new' };
      return {
        kind: record.request_hash === request.requestHash ? 'replay' : 'reused',
        resourceId: record.resource_id,
      };
    });
  }

  /** Stages the record in `em`; the unique (scope, operation, key) constraint settles races. */
  remember(em: EntityManager, viewer: Viewer, entry: RememberedResult): void {
    em.create(IdempotencyRecord, this.recordRow(viewer, entry));
  }

  /** The record of a result as a plain row, for writers past the unit of work. */
  recordRow(viewer: Viewer, entry: RememberedResult) {
    return {
      scope: this.scopeOf(viewer),
      operation: entry.operation,
      key: entry.key,
      requestHash: entry.requestHash,
      resourceId: entry.resourceId,
      createdAt: entry.at,
    };
  }
}

/** What a command remembers of its first result. */
export interface RememberedResult {
  operation: string;
  key: string;
  requestHash: string;
  resourceId: string;
  at: Date;
}

function scopedKey(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
