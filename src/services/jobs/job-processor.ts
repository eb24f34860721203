import { loggableError } from '../../server/loggable-error';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { lockedForUpdate, skippingLocked, skippingLockedClause } from '../../db/row-lock';
import { placeholders, rowsOf, runStatement } from '../../db/rows';
import { Claim } from '../../entities/claim.entity';
import { InsurancePolicy } from '../../entities/insurance-policy.entity';
import { JobKind, JobStatus, ScheduledJob } from '../../entities/scheduled-job.entity';
import type { ClaimRoutingService } from '../claims/claim-routing.service';
import type { Clock } from '../common/clock';
import type { InsurancePolicyService } from '../insurance/insurance-policy.service';

const MAX_ATTEMPTS = 10;
/** Jobs attempted in one run at most (a run that reaches it may have left due work behind). */
const RUN_LIMIT = 500;

/**
 * Runs due jobs: the job rows are taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite runs
 * one writer at a time), their work is done and they are marked DONE before the transaction
 * commits. A crash rolls everything back and leaves the jobs due; a second instance skips the
 * locked rows. So each job acts exactly once, whatever the number of instances.
 *
 * Screenings of newly filed claims are many and alike: they run in batches, one transaction
 * reading the history of all its claims together (SCREENING_BATCH_MAX). Other jobs run one per
 * transaction. A batch that fails is run again job by job, so one job's failure is its own.
 */
export class JobProcessor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly routing: ClaimRoutingService,
    private readonly policies: InsurancePolicyService,
    private readonly logger: Logger,
    private readonly screeningBatchMax: number,
  ) {}

  /**
   * Runs every job due now (up to `limit` attempts); returns how many ran successfully. A batch of
   * screenings and as many other jobs take turns, so that neither kind waits for the other to run
   * dry.
   */
  async runDue(limit = RUN_LIMIT): Promise<number> {
    return (await this.runDueCounting(limit)).ran;
  }

  private async runDueCounting(limit: number): Promise<{ ran: number; attempts: number }> {
    let ran = 0;
    let attempts = 0;
    let screeningsDue = true;
    let othersDue = true;
    while (attempts < limit && (screeningsDue || othersDue)) {
      if (screeningsDue) {
        const batch = await this.screenBatch(Math.min(this.screeningBatchMax, limit - attempts));
        screeningsDue = batch.taken > 0;
        attempts += batch.taken;
        ran += batch.ran;
      }
      for (let turn = 0; othersDue && turn < this.screeningBatchMax && attempts < limit; turn += 1) {
        const outcome = await this.runOne({ kind: { $ne: JobKind.SCREEN_CLAIM } });
        othersDue = outcome !== 'none';
        if (outcome !== 'none') attempts += 1;
        if (outcome === 'ran') ran += 1;
      }
    }
    return { ran, attempts };
  }

  /** Looks for due work every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drain().catch((error) => {
        this.logger.error({ err: error }, 'job processing failed');
        return 0;
      });
      void this.running.finally(() => {
        this.running = undefined;
      });
    }, intervalMs);
    this.timer.unref();
  }

  /**
   * Runs due work until a run (of up to `limitPerRun` attempts) leaves none behind: a run that
   * used its whole allowance may have, and waiting for the next tick would leave that backlog
   * idle meanwhile. Returns how many jobs ran successfully; ends early once `stop` is called.
   */
  async drain(limitPerRun = RUN_LIMIT): Promise<number> {
    let ran = 0;
    for (;;) {
      const run = await this.runDueCounting(limitPerRun);
      ran += run.ran;
      if (run.attempts < limitPerRun || this.stopping) return ran;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Screens up to `max` claims whose screening is due, in one transaction; at most one claim per
   * claimant (the others wait for the next batch). Answers how many jobs were taken and how many
   * of them ran.
   */
  private async screenBatch(max: number): Promise<{ taken: number; ran: number }> {
    const now = this.clock.now();
    let taken: number[] = [];
    try {
      await this.orm.em.fork().transactional(async (em) => {
        // The jobs are only taken and marked done: plain rows, not entities to track.
        const at = em.getPlatform().processDateProperty(now);
        const due = await rowsOf<{ id: number; claim_id: number }>(
          em,
          `select id, claim_id from scheduled_job where kind = ? and status = ? and due_at <= ? order by due_at, id limit ?${skippingLockedClause(em)}`,
          [JobKind.SCREEN_CLAIM, JobStatus.PENDING, at, max],
        );
        if (due.length === 0) return;
        const claims = await em.find(
          Claim,
          { id: { $in: due.map((job) => job.claim_id) } },
          { ...lockedForUpdate(em), orderBy: { id: 'asc' } },
        );
        const claimOf = new Map(claims.map((claim) => [claim.id, claim]));
        const claimants = new Set<number>();
        const jobs = due.filter((job) => {
          const claimant = claimOf.get(job.claim_id)!.customer.id;
          if (claimants.has(claimant)) return false;
          claimants.add(claimant);
          return true;
        });
        taken = jobs.map((job) => job.id);
        const chosen = new Set(jobs.map((job) => job.claim_id));
        await this.routing.screenAndRouteAll(
          em,
          claims.filter((claim) => chosen.has(claim.id)),
          now,
        );
        await runStatement(
          em,
          `update scheduled_job set status = ?, attempts = attempts + 1, completed_at = ? where id in (${placeholders(taken)})`,
          [JobStatus.DONE, at, ...taken],
        );
      });
      return { taken: taken.length, ran: taken.length };
    } catch (error) {
      if (taken.length === 0) throw error;
      this.logger.warn(
        { err: error, jobs: taken.length },
        'screening batch failed: running its jobs one by one',
      );
      let ran = 0;
      for (const id of taken) if ((await this.runOne({ id })) === 'ran') ran += 1;
      return { taken: taken.length, ran };
    }
  }

  /** Runs one due job (of those matching `which`) in its own transaction. */
  private async runOne(which: { id?: number; kind?: { $ne: JobKind } }): Promise<'ran' | 'failed' | 'none'> {
    const now = this.clock.now();
    let taken: { id: number } | undefined;
    try {
      const job = await this.orm.em.fork().transactional(async (em) => {
        const [due] = await em.find(
          ScheduledJob,
          { ...which, status: JobStatus.PENDING, dueAt: { $lte: now } },
          { orderBy: { dueAt: 'asc', id: 'asc' }, limit: 1, ...skippingLocked(em) },
        );
        if (!due) return null;
        taken = { id: due.id };
        await this.handle(em, due, now);
        this.markDone(due, now);
        return due;
      });
      return job ? 'ran' : 'none';
    } catch (error) {
      if (!taken) throw error;
      await this.recordFailure(taken, error, now);
      return 'failed';
    }
  }

  /** Does the job's work with its claim or policy locked, as every change to them is. */
  private async handle(em: EntityManager, job: ScheduledJob, now: Date): Promise<void> {
    if (job.policy) {
      const policy = await em.findOneOrFail(InsurancePolicy, job.policy.id, lockedForUpdate(em));
      switch (job.kind) {
        case JobKind.POLICY_EXPIRY_REMINDER:
          return this.policies.remindExpiry(em, policy, now);
        case JobKind.POLICY_EXPIRY:
          return this.policies.expire(em, policy, now);
        default:
          throw new Error(`${job.kind} is not work on a policy`);
      }
    }
    const claim = await em.findOneOrFail(Claim, job.claim!.id, lockedForUpdate(em));
    switch (job.kind) {
      case JobKind.SCREEN_CLAIM:
        return this.routing.screenAndRoute(em, claim, now);
      case JobKind.SELLER_RESPONSE_REMINDER:
        return this.routing.remindSeller(em, claim, now);
      case JobKind.SELLER_RESPONSE_DEADLINE:
        return this.routing.stepInAfterSilence(em, claim, now);
      case JobKind.INSURANCE_GRACE_END:
        return this.routing.endInsuranceGrace(em, claim, now);
      default:
        throw new Error(`${job.kind} is not work on a claim`);
    }
  }

  private markDone(job: ScheduledJob, now: Date): void {
    job.status = JobStatus.DONE;
    job.attempts += 1;
    job.completedAt = now;
  }

  /**
   * Retries later with exponential back-off; gives up (FAILED) after ten attempts. The count is
   * raised in the database, since another instance may have failed the same job meanwhile.
   */
  private async recordFailure(job: { id: number }, error: unknown, now: Date): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const current = await tx.findOne(
        ScheduledJob,
        { id: job.id, status: JobStatus.PENDING },
        lockedForUpdate(tx),
      );
      if (!current) return;
      current.attempts += 1;
      this.logger.error({ err: error, jobId: job.id, attempts: current.attempts }, 'job failed');
      current.lastError = loggableError(error).message.slice(0, 2000);
      current.dueAt = new Date(now.getTime() + Math.min(60 * 60 * 1000, 1000 * 2 ** current.attempts));
      if (current.attempts >= MAX_ATTEMPTS) current.status = JobStatus.FAILED;
    });
  }
}
