import type { EntityManager } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { requireRole } from '../../auth/require-viewer';
import type { Viewer } from '../../auth/viewer';
import { Claim } from '../../entities/claim.entity';
import { lockedForUpdate } from '../../db/row-lock';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import type { MutationRunner } from '../common/mutation-runner';
import { Refusal } from '../common/refusal';
import { hashRequest } from '../common/request-hash';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import { ActionBlockedReason, BLOCKED_REASON_CODE, describeBlock } from './action-blocked-reason';
import { type ClaimAction, type ClaimActionRule, CLAIM_ACTIONS, claimActionBlock } from './claim-actions';
import { claimFactsIn } from './claim-facts';
import type { ClaimQueryService } from './claim-query.service';
import type { ClaimResult } from './claim-result';
import { type GuardContext, TRANSITIONS } from './claim-state-machine';

/** How long a command waits for a claim another transaction holds before answering CONFLICT. */
const CLAIM_LOCK_TIMEOUT_MS = 2000;

export interface ClaimCommand {
  /** The action the command takes: its roles, party, statuses and preconditions are checked. */
  action: ClaimAction;
  claimId: number;
  /** When given, a retry with the same key and request gets the first result back. */
  idempotencyKey?: string | null;
  /** The request as hashed for idempotency (without the key). */
  request: unknown;
  /** Checks that need no database; errors refuse the command before it starts. */
  validate?: () => UserError[];
  /**
   * Wait for a concurrent change to the claim and then apply this one, instead of refusing the
   * later of two with CONFLICT: for changes that do not depend on what the other decided.
   */
  queueBehindOthers?: boolean;
  /** The change itself, inside the transaction; throws a Refusal to refuse. */
  run: (em: EntityManager, claim: Claim, viewer: Viewer, now: Date) => Promise<void>;
}

/**
 * Runs a change to one claim the same way for every command: the caller's role must take the
 * action and the caller must see the claim; the change runs in one transaction that first claims
 * the version the caller read (so of two concurrent changes one wins and the other gets CONFLICT,
 * and the claim row is always locked before any ledger account), then checks the action against
 * the claim as it is now; refusals roll everything back.
 */
export class ClaimCommandRunner {
  constructor(
    private readonly clock: Clock,
    private readonly claims: ClaimQueryService,
    private readonly mutations: MutationRunner,
    private readonly guardContext: (now: Date) => GuardContext,
  ) {}

  async execute(ctx: RequestContext, command: ClaimCommand): Promise<ClaimResult> {
    const rule = CLAIM_ACTIONS[command.action];
    const viewer = requireRole(ctx.auth, ...rule.roles);
    const errors = command.validate?.() ?? [];
    if (errors.length > 0) return { claim: null, userErrors: errors };
    const seen = await this.claims.findVisible(ctx, command.claimId);
    if (!seen) {
      return {
        claim: null,
        userErrors: [userError(['input', 'claimId'], UserErrorCode.CLAIM_NOT_FOUND, 'no such claim')],
      };
    }
    const key = command.idempotencyKey ?? null;
    return this.mutations.run<ClaimResult>(ctx, {
      viewer,
      operation: rule.mutation,
      idempotency: key
        ? { key, requestHash: hashRequest({ operation: rule.mutation, request: command.request }) }
        : null,
      run: async (em) => {
        const claim = await this.takeClaim(em, seen, command.queueBehindOthers ?? false);
        const now = this.clock.now();
        const reason = claimActionBlock(
          command.action,
          viewer,
          await claimFactsIn(em, claim),
          this.guardContext(now),
        );
        if (reason) {
          throw new Refusal([
            userError(['input', 'claimId'], BLOCKED_REASON_CODE[reason], refusalMessage(reason, rule, claim)),
          ]);
        }
        await command.run(em, claim, viewer, now);
        return { claim, userErrors: [] };
      },
      resourceIdOf: () => String(command.claimId),
      replay: async (em, claimId) => ({
        claim: await em.findOneOrFail(Claim, Number(claimId)),
        userErrors: [],
      }),
      refused: (userErrors) => ({ claim: null, userErrors }),
      raced: [conflict()],
    });
  }

  /** The claim as this transaction holds it: by its version, or (queueing) by its row lock. */
  private async takeClaim(em: EntityManager, seen: Claim, queue: boolean): Promise<Claim> {
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
    // Queueing: wait for the row lock, then take the version as it is now.
    const version = queue
      ? (await em.findOneOrFail(Claim, seen.id, lockedForUpdate(em))).version
      : seen.version;
    const taken = await em.nativeUpdate(Claim, { id: seen.id, version }, { version: version + 1 });
    if (taken === 0) throw new Refusal([conflict()]);
    return em.findOneOrFail(Claim, seen.id, { refresh: true });
  }
}

/** The block's message; a wrong status is named, with the status the action would move the claim to. */
function refusalMessage(reason: ActionBlockedReason, rule: ClaimActionRule, claim: Claim): string {
  if (reason !== ActionBlockedReason.WRONG_STATUS) return describeBlock(reason);
  return rule.transition
    ? `cannot move the claim from ${claim.status} to ${TRANSITIONS[rule.transition].to}`
    : `not possible while the claim is ${claim.status}`;
}

function conflict(): UserError {
  return userError(
    ['input', 'claimId'],
    UserErrorCode.CONFLICT,
    'the claim changed at the same time; read it again and retry',
  );
}
