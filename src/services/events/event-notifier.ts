/**
 * Wakes event listeners when claim events were committed. It carries no events: listeners read
 * the event table, which stays the record. Losing a wake-up only delays delivery until the next
 * one or the feed's safety poll.
 */
export interface EventNotifier {
  /** Announces that events were committed (coalesced: many calls in one tick send one wake-up). */
  notify(): void;
  /** Calls `listener` on every wake-up, from this process or (with Redis) from any instance. */
  onWake(listener: () => void): () => void;
  /** Whether the service that carries wake-ups between instances answers; null when there is none. */
  connected(): boolean | null;
  close(): Promise<void>;
}
