export interface GroupCommitSettings<Item, Result> {
  /** Most items written in one batch. */
  maxBatch: number;
  /** Most batches running at once (each holds a database connection). */
  maxInFlight: number;
  /**
   * What an item writes or decides on (an order, an idempotency key …): items that share a key
   * never share a batch or run at the same time, so each sees the other's outcome committed.
   */
  conflictKeys(item: Item): readonly string[];
  /**
   * Writes a batch in one transaction and answers one result per item, in order. Throwing rolls
   * the whole batch back: nothing of it is written.
   */
  write(items: Item[]): Promise<Result[]>;
}

interface Pending<Item, Result> {
  item: Item;
  keys: readonly string[];
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: requests that arrive while a batch is being written wait and are written together
 * in the next one, so a busy server pays for one transaction (its round trips, its commit) per
 * batch instead of per request, while a lone request is written at once, without waiting.
 *
 * A batch that fails is retried item by item, so that one item's failure (a constraint a
 * concurrent writer won) reaches that item's caller alone and the others are still written.
 */
export class GroupCommit<Item, Result> {
  private readonly queue: Pending<Item, Result>[] = [];
  /** Conflict keys of the items in running batches. */
  private readonly busy = new Set<string>();
  private inFlight = 0;

  constructor(private readonly settings: GroupCommitSettings<Item, Result>) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, keys: this.settings.conflictKeys(item), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.settings.maxInFlight) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const pending of batch) for (const key of pending.keys) this.busy.add(key);
      void this.run(batch).finally(() => {
        for (const pending of batch) for (const key of pending.keys) this.busy.delete(key);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting items that conflict neither with a running batch nor with each other. */
  private takeBatch(): Pending<Item, Result>[] {
    const batch: Pending<Item, Result>[] = [];
    const taken = new Set<string>();
    for (let index = 0; index < this.queue.length && batch.length < this.settings.maxBatch;) {
      const pending = this.queue[index];
      if (pending.keys.some((key) => this.busy.has(key) || taken.has(key))) {
        index += 1;
        continue;
      }
      for (const key of pending.keys) taken.add(key);
      batch.push(pending);
      this.queue.splice(index, 1);
    }
    return batch;
  }

  private async run(batch: Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.settings.write(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const pending of batch) await this.run([pending]);
    }
  }
}
