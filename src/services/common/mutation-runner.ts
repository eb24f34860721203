import {
  DeadlockException,
  DriverException,
  type EntityManager,
  LockWaitTimeoutException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { Viewer } from '../../auth/viewer';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from './clock';
import type { IdempotencyService } from './idempotency.service';
import { Refusal } from './refusal';
import { type UserError, UserErrorCode, userError } from './user-error';

/** A write as a mutation makes it, for `MutationRunner.run`. */
export interface Mutation<R> {
  viewer: Viewer;
  /** Names the operation in idempotency records. */
  operation: string;
  /** The client's key and the hash of its request (without the key): a retry answers the first result. */
  idempotency?: { key: string; requestHash: string } | null;
  /** The change, in one transaction; throws a Refusal to refuse it (everything rolls back). */
  run(em: EntityManager): Promise<R>;
  /** With a key: the id of what the change wrote, which the key's record keeps (after the flush). */
  resourceIdOf?(result: R): string;
  /** With a key: the first result again, from the id its record kept. */
  replay?(em: EntityManager, resourceId: string): Promise<R>;
  /** The answer that refuses with `userErrors`. */
  refused(userErrors: UserError[]): R;
  /**
   * When the transaction lost a race (a unique key, a row's version, a lock wait) and no earlier
   * result under the key answers it: run once more ('run again': the second run sees what the
   * winner wrote, as for writes idempotent by a natural key), or refuse with these userErrors.
   * Absent: the error propagates.
   */
  raced?: 'run again' | UserError[];
}

/** A write that looks its keys up, writes and records them itself, in batches (filing). */
export interface BatchedMutation<R> {
  viewer: Viewer;
  operation: string;
  idempotency: { key: string; requestHash: string };
  run(): Promise<R>;
  replay(em: EntityManager, resourceId: string): Promise<R>;
  refused(userErrors: UserError[]): R;
}

/**
 * Every mutation that writes runs the same sequence here: answer a retry under a known key with
 * the first result (or refuse a key reused for another request), run the change in one
 * transaction that also records the key, turn a Refusal into userErrors with nothing written, and
 * when two writers race, answer the loser as a retry would be answered — or as the mutation says.
 */
export class MutationRunner {
  constructor(
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
  ) {}

  async run<R>(ctx: RequestContext, mutation: Mutation<R>): Promise<R> {
    const earlier = await this.earlierAnswer(ctx, mutation);
    if (earlier) return earlier.result;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.runOnce(ctx, mutation);
      } catch (error) {
        const refusal = error instanceof Refusal ? error : null;
        const conflict = refusal?.userErrors.some((e) => e.code === UserErrorCode.CONFLICT) ?? false;
        if (refusal && !conflict) return mutation.refused(refusal.userErrors);
        if (!refusal && !lostRace(error)) throw error;
        // The winner of the race may have been this same request, sent twice.
        const retry = await this.earlierAnswer(ctx, mutation);
        if (retry) return retry.result;
        if (refusal) return mutation.refused(refusal.userErrors);
        if (mutation.raced === 'run again' && attempt === 1) continue;
        if (Array.isArray(mutation.raced)) return mutation.refused(mutation.raced);
        throw error;
      }
    }
  }

  /**
   * For a write that batches itself (it looks keys up and records them in its own transaction):
   * only a lost race is answered here, as a retry would be.
   */
  async runBatched<R>(ctx: RequestContext, mutation: BatchedMutation<R>): Promise<R> {
    try {
      return await mutation.run();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const retry = await this.earlierAnswer(ctx, mutation);
      if (retry) return retry.result;
      throw error;
    }
  }

  /** The answer a retry under the key gets: `reusedKey` when the key came with another request. */
  async answerToKey<R>(
    em: EntityManager,
    lookup: { kind: 'replay' | 'reused'; resourceId: string },
    mutation: Pick<Mutation<R>, 'replay' | 'refused'>,
  ): Promise<R> {
    if (lookup.kind === 'reused') return mutation.refused([reusedKey()]);
    if (!mutation.replay) throw new Error('a mutation with an idempotency key must say how to replay it');
    return mutation.replay(em, lookup.resourceId);
  }

  private async runOnce<R>(ctx: RequestContext, mutation: Mutation<R>): Promise<R> {
    return ctx.em.fork().transactional(async (em) => {
      const result = await mutation.run(em);
      await em.flush();
      const keyed = mutation.idempotency;
      if (keyed) {
        if (!mutation.resourceIdOf)
          throw new Error('a mutation with an idempotency key must name what it wrote');
        this.idempotency.remember(em, mutation.viewer, {
          operation: mutation.operation,
          key: keyed.key,
          requestHash: keyed.requestHash,
          resourceId: mutation.resourceIdOf(result),
          at: this.clock.now(),
        });
        await em.flush();
      }
      return result;
    });
  }

  private async earlierAnswer<R>(
    ctx: RequestContext,
    mutation: Pick<Mutation<R>, 'viewer' | 'operation' | 'idempotency' | 'replay' | 'refused'>,
  ): Promise<{ result: R } | null> {
    const keyed = mutation.idempotency;
    if (!keyed) return null;
    const em = ctx.em.fork();
    const lookup = await this.idempotency.lookup(
      em,
      mutation.viewer,
      mutation.operation,
      keyed.key,
      keyed.requestHash,
    );
    if (lookup.kind === 'new') return null;
    return { result: await this.answerToKey(em, lookup, mutation) };
  }
}

/** The refusal of a key that came with another request before. */
export function reusedKey(): UserError {
  return userError(
    ['input', 'idempotencyKey'],
    UserErrorCode.IDEMPOTENCY_KEY_REUSED,
    'this idempotency key was used for a different request',
  );
}

/**
 * PostgreSQL's lock_not_available: a `lock_timeout` expired. The driver's exception converter does
 * not map it, so it arrives as a plain DriverException carrying the SQLSTATE.
 */
const LOCK_NOT_AVAILABLE = '55P03';

/** A concurrent writer won: a unique key, the version of a row, or a lock it held too long. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof UniqueConstraintViolationException ||
    error instanceof OptimisticLockError ||
    error instanceof LockWaitTimeoutException ||
    error instanceof DeadlockException ||
    (error instanceof DriverException && error.code === LOCK_NOT_AVAILABLE)
  );
}
