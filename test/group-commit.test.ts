import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/services/common/group-commit';

interface Item {
  name: string;
  keys?: string[];
  /** The batch holding this item fails. */
  fails?: boolean;
}

/** A GroupCommit whose writes finish only when the test says so, recording every batch. */
function harness(settings: { maxBatch?: number; maxInFlight?: number } = {}) {
  const batches: string[][] = [];
  const open: { names: string[]; finish: () => void }[] = [];
  let running = 0;
  let mostRunning = 0;
  const commit = new GroupCommit<Item, string>({
    maxBatch: settings.maxBatch ?? 10,
    maxInFlight: settings.maxInFlight ?? 1,
    conflictKeys: (item) => item.keys ?? [],
    write: async (items) => {
      const names = items.map((item) => item.name);
      batches.push(names);
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      await new Promise<void>((resolve) => open.push({ names, finish: resolve }));
      running -= 1;
      if (items.some((item) => item.fails)) throw new Error(`batch ${names.join('+')} failed`);
      return items.map((item) => `written ${item.name}`);
    },
  });
  /** Lets every write started so far finish, then lets the queue move on. */
  const finishRunning = async () => {
    for (const batch of open.splice(0)) batch.finish();
    await new Promise((resolve) => setImmediate(resolve));
  };
  /** Finishes writes until nothing is left running. */
  const drain = async () => {
    while (open.length > 0) await finishRunning();
  };
  return { commit, batches, finishRunning, drain, mostRunning: () => mostRunning };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, in a batch of its own', async () => {
    const h = harness();
    const result = h.commit.submit({ name: 'a' });
    expect(h.batches).toEqual([['a']]);
    await h.drain();
    await expect(result).resolves.toBe('written a');
  });

  it('writes the items that arrive while a batch is being written together in the next, in arrival order', async () => {
    const h = harness();
    const results = ['a', 'b', 'c', 'd'].map((name) => h.commit.submit({ name }));
    expect(h.batches).toEqual([['a']]);
    await h.finishRunning();
    expect(h.batches).toEqual([['a'], ['b', 'c', 'd']]);
    await h.drain();
    expect(await Promise.all(results)).toEqual(['written a', 'written b', 'written c', 'written d']);
  });

  it('puts at most maxBatch items in a batch', async () => {
    const h = harness({ maxBatch: 2 });
    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => h.commit.submit({ name }));
    await h.drain();
    expect(h.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    await Promise.all(results);
  });

  it('runs at most maxInFlight batches at once', async () => {
    const h = harness({ maxInFlight: 2 });
    const results = ['a', 'b', 'c', 'd'].map((name) => h.commit.submit({ name }));
    expect(h.batches).toEqual([['a'], ['b']]);
    await h.drain();
    expect(h.mostRunning()).toBe(2);
    expect(h.batches).toEqual([['a'], ['b'], ['c', 'd']]);
    await Promise.all(results);
  });

  it('never puts items with a common key in one batch, nor runs them at once; the others go ahead', async () => {
    const h = harness({ maxInFlight: 2 });
    const results = [
      h.commit.submit({ name: 'a', keys: ['order:1'] }),
      h.commit.submit({ name: 'b', keys: ['order:1', 'key:x'] }),
      h.commit.submit({ name: 'c', keys: ['order:2'] }),
      h.commit.submit({ name: 'd', keys: ['key:x'] }),
      h.commit.submit({ name: 'e', keys: ['order:3'] }),
    ];
    // b waits for a (order:1); c goes ahead in the second slot.
    expect(h.batches).toEqual([['a'], ['c']]);
    await h.finishRunning();
    // b may now go, d shares key:x with b and waits for it; e does not conflict.
    expect(h.batches.slice(2)).toEqual([['b', 'e']]);
    await h.finishRunning();
    expect(h.batches.slice(3)).toEqual([['d']]);
    await h.drain();
    await Promise.all(results);
  });

  it('retries a failed batch item by item: the failing item is refused alone, the others are written', async () => {
    const h = harness();
    const first = h.commit.submit({ name: 'a' });
    const rest = [
      h.commit.submit({ name: 'b' }),
      h.commit.submit({ name: 'bad', fails: true }),
      h.commit.submit({ name: 'c' }),
    ];
    const settled = Promise.allSettled(rest);
    await h.drain();
    await expect(first).resolves.toBe('written a');
    expect(h.batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
    const [b, bad, c] = await settled;
    expect(b).toEqual({ status: 'fulfilled', value: 'written b' });
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('batch bad failed') });
    expect(c).toEqual({ status: 'fulfilled', value: 'written c' });
  });

  it('keeps going after a failure: later items are written', async () => {
    const h = harness();
    const failed = h.commit.submit({ name: 'bad', fails: true });
    // Observed at once, so that the rejection is never unhandled while the batch drains.
    failed.catch(() => undefined);
    await h.drain();
    await expect(failed).rejects.toThrow('batch bad failed');
    const later = h.commit.submit({ name: 'later' });
    await h.drain();
    await expect(later).resolves.toBe('written later');
  });
});
