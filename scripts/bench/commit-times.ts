import { ChangeSetType, type EventSubscriber, type FlushEventArgs, type TransactionEventArgs } from '@mikro-orm/core';
import { ClaimEvent } from '../../src/entities/claim-event.entity';

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Records when each claim event's transaction committed, so that fan-out latency runs from the
 * commit itself rather than from the event's `occurredAt` (the start of the command that wrote it).
 */
export class CommitTimes implements EventSubscriber {
  readonly committedAt = new Map<string, number>();
  private readonly pending = new WeakMap<object, ClaimEvent[]>();

  onFlush({ em, uow }: FlushEventArgs): void {
    const transaction = em.getTransactionContext();
    if (!transaction) return;
    const created = uow
      .getChangeSets()
      .filter((changeSet) => changeSet.type === ChangeSetType.CREATE && changeSet.entity instanceof ClaimEvent)
      .map((changeSet) => changeSet.entity as ClaimEvent);
    if (created.length > 0) this.pending.set(transaction, [...(this.pending.get(transaction) ?? []), ...created]);
  }

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    const at = wallClockMs();
    for (const event of (transaction && this.pending.get(transaction)) || []) this.committedAt.set(String(event.id), at);
  }
}
