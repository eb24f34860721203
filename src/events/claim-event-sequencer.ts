import { ChangeSetType, type EntityManager, type EventSubscriber, type FlushEventArgs, type TransactionEventArgs } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { ClaimEvent } from '../entities/claim-event.entity';
import type { EventNotifier } from './event-notifier';

/** Arbitrary, fixed key of the PostgreSQL advisory lock that orders event commits. */
const EVENT_SEQUENCE_LOCK = 727_274_001;

/**
 * Keeps the claim event table usable as a cursor-ordered outbox and wakes listeners.
 *
 * The global sequence is the event id. On PostgreSQL ids are drawn when rows are inserted, not
 * when they commit, so a reader could see id 11 before id 10 commits and skip 10 for good. A
 * transaction that writes events therefore takes one advisory lock just before inserting them and
 * keeps it until it commits: event ids then become visible strictly in order. SQLite has a single
 * writer, which gives the same order. After such a transaction commits, listeners are woken.
 */
export class ClaimEventSequencer implements EventSubscriber {
  constructor(private readonly notifier: EventNotifier) {}

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const writesEvents = uow
      .getChangeSets()
      .some((changeSet) => changeSet.type === ChangeSetType.CREATE && changeSet.entity instanceof ClaimEvent);
    if (!writesEvents) return;
    await lockEventSequence(em);
  }

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    if (transaction && writingEvents.has(transaction)) this.notifier.notify();
  }
}

/** Transactions that wrote claim events: listeners are woken when they commit. */
const writingEvents = new WeakSet<object>();

/**
 * Takes the event-sequence lock for `em`'s transaction (none is needed on SQLite) and marks the
 * transaction, so that listeners are woken when it commits. The ORM's flushes do this on their
 * own; code inserting events past the unit of work calls it first.
 */
export async function lockEventSequence(em: EntityManager): Promise<void> {
  const transaction = em.getTransactionContext();
  if (!em.isInTransaction() || !transaction) {
    throw new Error('claim events must be written inside an explicit transaction');
  }
  // Held until the transaction ends: a second flush with events needs no second statement.
  if (writingEvents.has(transaction)) return;
  writingEvents.add(transaction);
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    await em.getConnection().execute('select pg_advisory_xact_lock(?)', [EVENT_SEQUENCE_LOCK], 'get', transaction);
  }
}
