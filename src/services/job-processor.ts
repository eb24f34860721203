import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { lockedForUpdate, skippingLocked } from '../db/row-lock';
import { Claim } from '../entities/claim.entity';
import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { JobKind, JobStatus, ScheduledJob } from '../entities/scheduled-job.entity';
import type { ClaimRoutingService } from './claim-routing.service';
import type { Clock } from './clock';
import type { InsurancePolicyService } from './insurance/insurance-policy.service';

const MAX_ATTEMPTS = 10;

/**
 * Runs due jobs, one per transaction: the job row is taken with `FOR UPDATE SKIP LOCKED` on
 * PostgreSQL (SQLite runs one writer at a time), its work is done and it is marked DONE before
 * the transaction commits. A crash rolls everything back and leaves the job due; a second
 * instance skips the locked row. So each job acts exactly once, whatever the number of instances.
 */
export class JobProcessor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly routing: ClaimRoutingService,
    private readonly policies: InsurancePolicyService,
    private readonly logger: Logger,
  ) {}

  /** Runs every job due now (up to `limit` attempts); returns how many ran successfully. */
  async runDue(limit = 500): Promise<number> {
    let ran = 0;
    for (let attempts = 0; attempts < limit; attempts += 1) {
      const outcome = await this.runOne();
      if (outcome === 'none') break;
      if (outcome === 'ran') ran += 1;
    }
    return ran;
  }

  /** Looks for due work every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runDue().catch((error) => {
        this.logger.error({ err: error }, 'job processing failed');
        return 0;
      });
      void this.running.finally(() => {
        this.running = undefined;
      });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async runOne(): Promise<'ran' | 'failed' | 'none'> {
    const now = this.clock.now();
    let taken: { id: number } | undefined;
    try {
      const job = await this.orm.em.fork().transactional(async (em) => {
        const [due] = await em.find(
          ScheduledJob,
          { status: JobStatus.PENDING, dueAt: { $lte: now } },
          { orderBy: { dueAt: 'asc', id: 'asc' }, limit: 1, ...skippingLocked(em) },
        );
        if (!due) return null;
        taken = { id: due.id };
        await this.handle(em, due, now);
        due.status = JobStatus.DONE;
        due.attempts += 1;
        due.completedAt = now;
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

  /**
   * Retries later with exponential back-off; gives up (FAILED) after ten attempts. The count is
   * raised in the database, since another instance may have failed the same job meanwhile.
   */
  private async recordFailure(job: { id: number }, error: unknown, now: Date): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const current = await tx.findOne(ScheduledJob, { id: job.id, status: JobStatus.PENDING }, lockedForUpdate(tx));
      if (!current) return;
      current.attempts += 1;
      this.logger.error({ err: error, jobId: job.id, attempts: current.attempts }, 'job failed');
      current.lastError = error instanceof Error ? error.message.slice(0, 2000) : String(error);
      current.dueAt = new Date(now.getTime() + Math.min(60 * 60 * 1000, 1000 * 2 ** current.attempts));
      if (current.attempts >= MAX_ATTEMPTS) current.status = JobStatus.FAILED;
    });
  }

}
