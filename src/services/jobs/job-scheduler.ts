import type { EntityManager } from '@mikro-orm/core';
import { insertRowAtCommit } from '../../db/rows-at-commit';
import type { Claim } from '../../entities/claim.entity';
import { type JobKind, JobStatus, ScheduledJob } from '../../entities/scheduled-job.entity';

/**
 * Stages due work in `em`, to be written as the transaction that causes it commits. Jobs are only
 * ever read by the job processor, in transactions of its own, so none needs to be an entity here.
 */
export function scheduleJob(em: EntityManager, kind: JobKind, claim: Claim, dueAt: Date, now: Date): void {
  insertRowAtCommit(em, ScheduledJob, () => jobRow(kind, claim.id, dueAt, now));
}

/** The row of a pending job on a claim already written. */
export function jobRow(kind: JobKind, claimId: number, dueAt: Date, now: Date) {
  return { kind, claim: claimId, dueAt, status: JobStatus.PENDING, attempts: 0, createdAt: now };
}
