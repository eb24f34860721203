import type { EntityManager } from '@mikro-orm/core';
import type { Claim } from '../entities/claim.entity';
import { type JobKind, JobStatus, ScheduledJob } from '../entities/scheduled-job.entity';

/** Stages due work in `em`, to be written in the same transaction as the change that causes it. */
export function scheduleJob(em: EntityManager, kind: JobKind, claim: Claim, dueAt: Date, now: Date): ScheduledJob {
  return em.create(ScheduledJob, { kind, claim, dueAt, status: JobStatus.PENDING, createdAt: now });
}
