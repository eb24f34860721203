import type { EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import { claimEventIdsWrittenBy } from '../../src/services/events/claim-event-sequencer';

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

  afterTransactionCommit({ transaction }: TransactionEventArgs): void {
    const at = wallClockMs();
    for (const id of claimEventIdsWrittenBy(transaction)) this.committedAt.set(id, at);
  }
}
