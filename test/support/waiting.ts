import { setTimeout as sleep } from 'node:timers/promises';

/** For waits with nothing to poll, e.g. giving something the time to arrive if it would. */
export { sleep };

/**
 * Polls `condition` until it holds; fails naming `what` after `timeoutMs`, a bound for a hang,
 * not for a slow machine: a condition that holds returns at once.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
