import {
  ChangeSetType,
  type EventSubscriber,
  type FlushEventArgs,
  type TransactionEventArgs,
} from '@mikro-orm/core';
import { Notification } from '../../entities/notification.entity';
import type { EventNotifier } from '../events/event-notifier';

/** Transactions that wrote notifications: the live feeds are woken when they commit. */
const writingNotifications = new WeakSet<object>();

/**
 * Wakes the `notificationReceived` feeds, on every instance, after any transaction that wrote a
 * notification commits: one made of a claim event, a quote request, a policy's reminder alike.
 */
export class NotificationCommitWake implements EventSubscriber {
  constructor(private readonly notifier: EventNotifier) {}

  onFlush({ em, uow }: FlushEventArgs): void {
    const transaction = em.getTransactionContext();
    if (!transaction) return;
    const writes = uow
      .getChangeSets()
      .some(
        (changeSet) => changeSet.type === ChangeSetType.CREATE && changeSet.entity instanceof Notification,
      );
    if (writes) writingNotifications.add(transaction as object);
  }

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    if (transaction && writingNotifications.has(transaction as object)) this.notifier.notify();
  }
}
