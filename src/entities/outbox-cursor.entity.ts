import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * How far a consumer of the claim event table has come: it moves in the transaction that
 * records what the consumer made of the events, so each event is consumed exactly once.
 */
@Entity({ tableName: 'outbox_cursor' })
export class OutboxCursor {
  @PrimaryKey({ type: 'string', length: 60 })
  name!: string;

  /** The position (claim event id) of the last event consumed. */
  @Property({ type: new BigIntType('string') })
  position!: string;
}
