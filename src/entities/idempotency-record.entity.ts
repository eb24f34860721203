import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * The first result of an idempotent mutation, keyed per caller, so that a retry gets the same
 * answer and a reused key with a different request is caught.
 */
@Entity({ tableName: 'idempotency_record' })
@Unique({ properties: ['scope', 'operation', 'key'] })
export class IdempotencyRecord {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The caller: role and subject. Keys of different callers never collide. */
  @Property({ type: 'string', length: 130 })
  scope!: string;

  @Property({ type: 'string', length: 60 })
  operation!: string;

  @Property({ type: 'string', length: 200 })
  key!: string;

  /** SHA-256 of the canonical request, without the key itself. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  /** Id of what the first request created. */
  @Property({ type: 'string', length: 100 })
  resourceId!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
