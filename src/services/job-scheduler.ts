import type { EntityManager } from '@mikro-orm/core';
import type { Claim } from '../entities/claim.entity';
import { type JobKind, JobStatus, ScheduledJob } from '../entities/scheduled-job.entity';

/** Stages due work in `em`, to be written in the same transaction as the change that causes it. */
export function scheduleJob(em: EntityManager, kind: JobKind, claim: Claim, dueAt: Date, now: Date): ScheduledJob {
  return em.create(ScheduledJob, jobRow(kind, claim, dueAt, now));
}

/** The row of a pending job on a claim (the claim, or its id once it is written). */
export function jobRow(kind: JobKind, claim: Claim | number, dueAt: Date, now: Date) {
  return { kind, claim, dueAt, status: JobStatus.PENDING, attempts: 0, createdAt: now };
}
