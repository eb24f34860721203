import {
  ChangeSetType,
  type EntityManager,
  type EventSubscriber,
  type FlushEventArgs,
  type TransactionEventArgs,
} from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { insertStatement, runStatementsTogether } from '../../db/statements-together';
import type { Claim } from '../../entities/claim.entity';
import { ClaimEvent } from '../../entities/claim-event.entity';
import { Notification } from '../../entities/notification.entity';
import type { EventNotifier } from './event-notifier';

/** Arbitrary, fixed key of the PostgreSQL advisory lock that orders event commits. */
const EVENT_SEQUENCE_LOCK = 727_274_001;

/**
 * Keeps the claim event table usable as a cursor-ordered outbox and wakes listeners.
 *
 * The global sequence is the event id. On PostgreSQL ids are drawn when rows are inserted, not
 * when they commit, so a reader could see id 11 before id 10 commits and skip 10 for good. A
 * transaction's events are therefore inserted at its very end, just before COMMIT, under one
 * advisory lock held until the commit: event ids become visible strictly in order, and the lock is
 * held for two round trips, never while the transaction waits for anything else (so no other
 * lock can deadlock with it). SQLite has a single writer, which gives the same order. After such a
 * transaction commits, listeners are woken.
 *
 * Notifications are read by id the same way (the live `notificationReceived` feed): a transaction
 * that writes one takes the same lock when it flushes them, and wakes the listeners too.
 */
export class ClaimEventSequencer implements EventSubscriber {
  constructor(private readonly notifier: EventNotifier) {}

  /** Events made as entities rather than through `insertAtCommit`, and notifications, take the lock. */
  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const writesEvents = uow
      .getChangeSets()
      .some(
        (changeSet) =>
          changeSet.type === ChangeSetType.CREATE &&
          (changeSet.entity instanceof ClaimEvent || changeSet.entity instanceof Notification),
      );
    if (!writesEvents) return;
    const transaction = transactionOf(em);
    const lock = lockStatement(em, transaction);
    if (lock) await em.getConnection().execute(lock, [], 'get', transaction);
  }

  async beforeTransactionCommit({ em, transaction }: TransactionEventArgs): Promise<void> {
    const events = transaction ? pendingEvents.get(transaction) : undefined;
    if (!transaction || !events) return;
    pendingEvents.delete(transaction);
    // The claims were flushed before the commit began: their ids are known now.
    const insert = insertStatement(
      em,
      ClaimEvent,
      events.map(({ claim, ...row }) => ({ ...row, claim: claim.id })),
      { returningIds: true },
    )!;
    const lock = lockStatement(em, transaction);
    const rows = await runStatementsTogether(em, lock ? [lock, insert] : [insert], transaction);
    writtenIds.set(
      transaction,
      rows.map((row) => String(row.id)),
    );
  }

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    if (transaction && writingEvents.has(transaction)) this.notifier.notify();
  }
}

/** The row of one claim event, its claim as an entity (its id may not be drawn yet). */
export interface PendingClaimEvent {
  claim: Claim;
  sequence: number;
  type: ClaimEvent['type'];
  occurredAt: Date;
  actorRole: ClaimEvent['actorRole'];
  actorSubject: string | null;
  fromStatus: ClaimEvent['fromStatus'];
  toStatus: ClaimEvent['toStatus'];
  message: string;
  customerMessage: string | null;
  sellerSideMessage: string | null;
}

/** Events staged per transaction, inserted just before it commits. */
const pendingEvents = new WeakMap<object, PendingClaimEvent[]>();
/** Transactions that wrote claim events: listeners are woken when they commit. */
const writingEvents = new WeakSet<object>();
/** The ids of the events each transaction inserted at its commit. */
const writtenIds = new WeakMap<object, string[]>();

/** The ids of the claim events `transaction` inserted as it committed, for observers of commits. */
export function claimEventIdsWrittenBy(transaction: unknown): readonly string[] {
  return writtenIds.get(transaction as object) ?? [];
}

/** Stages `event` to be inserted when `em`'s transaction commits (nothing, if it rolls back). */
export function insertAtCommit(em: EntityManager, event: PendingClaimEvent): void {
  const transaction = transactionOf(em);
  // Only a top-level commit runs the hook that writes them.
  if ('savepointName' in (transaction as object))
    throw new Error('claim events must be written in a top-level transaction');
  const events = pendingEvents.get(transaction as object) ?? [];
  events.push(event);
  pendingEvents.set(transaction as object, events);
}

function transactionOf(em: EntityManager): unknown {
  const transaction = em.getTransactionContext();
  if (!em.isInTransaction() || !transaction) {
    throw new Error('claim events must be written inside an explicit transaction');
  }
  return transaction;
}

/**
 * Marks the transaction as writing events and answers the statement taking the event-sequence lock
 * (null on SQLite, or when this transaction already holds it).
 */
function lockStatement(em: EntityManager, transaction: unknown): string | null {
  if (writingEvents.has(transaction as object)) return null;
  writingEvents.add(transaction as object);
  return em.getPlatform() instanceof PostgreSqlPlatform
    ? `select pg_advisory_xact_lock(${EVENT_SEQUENCE_LOCK})`
    : null;
}
