import type { ManualClock } from '../../src/services/common/clock';
import { TEST_NOW } from './test-server';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant `offset` ms after TEST_NOW, as the API prints it. */
export function at(offset: number): string {
  return new Date(TEST_NOW.getTime() + offset).toISOString();
}

/**
 * Moves `clock` to an absolute instant (e.g. `at(7 * DAY)`), so a step never depends on how far
 * the steps before it moved the clock.
 */
export function clockAt(clock: ManualClock, instant: string): void {
  clock.set(new Date(instant));
}
