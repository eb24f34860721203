import {
  type EntityManager,
  LockWaitTimeoutException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { requireRole } from '../../auth/require-viewer';
import type { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { Claim } from '../../entities/claim.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimResult } from './claim-result';
import type { ClaimQueryService } from './claim-query.service';
import type { Clock } from '../common/clock';
import type { IdempotencyService } from '../common/idempotency.service';
import { Refusal } from '../common/refusal';
import { hashRequest } from '../common/request-hash';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

/** How long a command waits for a claim another transaction holds before answering CONFLICT. */
const CLAIM_LOCK_TIMEOUT_MS = 2000;

export interface ClaimCommand {
  /** Names the operation for idempotency records and logs. */
  operation: string;
  roles: Role[];
  claimId: number;
  /** When given, a retry with the same key and request gets the first result back. */
  idempotencyKey?: string | null;
  /** The request as hashed for idempotency (without the key). */
  request: unknown;
  /** Checks that need no database; errors refuse the command before it starts. */
  validate?: () => UserError[];
  /** The change itself, inside the transaction; throws a Refusal to refuse. */
  run: (em: EntityManager, claim: Claim, viewer: Viewer, now: Date) => Promise<void>;
}

/**
 * Runs a change to one claim the same way for every command: the caller must see the claim;
 * the change runs in one transaction that first claims the version the caller read (so of two
 * concurrent changes one wins and the other gets CONFLICT, and the claim row is always locked
 * before any ledger account); refusals roll everything back.
 */
export class ClaimCommandRunner {
  constructor(
    private readonly clock: Clock,
    private readonly claims: ClaimQueryService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async execute(ctx: RequestContext, command: ClaimCommand): Promise<ClaimResult> {
    const viewer = requireRole(ctx.auth, ...command.roles);
    const claimId = command.claimId;
    const errors = command.validate?.() ?? [];
    if (errors.length > 0) return { claim: null, userErrors: errors };
    const seen = await this.claims.findVisible(ctx, claimId);
    if (!seen)
      return {
        claim: null,
        userErrors: [userError(['input', 'claimId'], UserErrorCode.CLAIM_NOT_FOUND, 'no such claim')],
      };

    const key = command.idempotencyKey ?? null;
    const requestHash = hashRequest({ operation: command.operation, request: command.request });
    if (key) {
      const earlier = await this.answerRetry(ctx, viewer, command.operation, key, requestHash);
      if (earlier) return earlier;
    }
    try {
      return await ctx.em.fork().transactional(async (em) => {
        // A claim locked by a long job or a stuck writer must not hold connections from the pool.
        if (em.getPlatform() instanceof PostgreSqlPlatform) {
          await em
            .getConnection()
            .execute(
              `set local lock_timeout = '${CLAIM_LOCK_TIMEOUT_MS}ms'`,
              [],
              'run',
              em.getTransactionContext(),
            );
        }
        const taken = await em.nativeUpdate(
          Claim,
          { id: claimId, version: seen.version },
          { version: seen.version + 1 },
        );
        if (taken === 0) throw new Refusal([conflict()]);
        const claim = await em.findOneOrFail(Claim, claimId, { refresh: true });
        const now = this.clock.now();
        await command.run(em, claim, viewer, now);
        if (key) {
          this.idempotency.remember(em, viewer, {
            operation: command.operation,
            key,
            requestHash,
            resourceId: String(claimId),
            at: now,
          });
        }
        await em.flush();
        return { claim, userErrors: [] };
      });
    } catch (error) {
      if (error instanceof Refusal) {
        // The winner of a race may have been this same request sent twice: answer as a retry.
        const retry =
          key && error.userErrors.some((e) => e.code === UserErrorCode.CONFLICT)
            ? await this.answerRetry(ctx, viewer, command.operation, key, requestHash)
            : null;
        return retry ?? { claim: null, userErrors: error.userErrors };
      }
      if (
        error instanceof OptimisticLockError ||
        error instanceof UniqueConstraintViolationException ||
        error instanceof LockWaitTimeoutException
      ) {
        const retry = key ? await this.answerRetry(ctx, viewer, command.operation, key, requestHash) : null;
        return retry ?? { claim: null, userErrors: [conflict()] };
      }
      throw error;
    }
  }

  private async answerRetry(
    ctx: RequestContext,
    viewer: Viewer,
    operation: string,
    key: string,
    requestHash: string,
  ): Promise<ClaimResult | null> {
    const em = ctx.em.fork();
    const lookup = await this.idempotency.lookup(em, viewer, operation, key, requestHash);
    if (lookup.kind === 'new') return null;
    if (lookup.kind === 'reused') {
      return {
        claim: null,
        userErrors: [
          userError(
            ['input', 'idempotencyKey'],
            UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            'this idempotency key was used for a different request',
          ),
        ],
      };
    }
    return { claim: await em.findOneOrFail(Claim, Number(lookup.resourceId)), userErrors: [] };
  }
}

function conflict(): UserError {
  return userError(
    ['input', 'claimId'],
    UserErrorCode.CONFLICT,
    'the claim changed at the same time; read it again and retry',
  );
}
