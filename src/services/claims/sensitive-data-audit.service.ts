import DataLoader from 'dataloader';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import { isSubject } from '../../auth/subject';
import { actorRoleOf } from '../../entities/claim-event-type';
import { SensitiveDataAccess, type SensitiveDataKind } from '../../entities/sensitive-data-access.entity';
import { badUserInput } from '../../errors';
import type { RequestContext } from '../../server/request-context';
import type { Clock } from '../common/clock';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';

/**
 * Records every read of medical information by anyone but the claimant, and lets agents query the
 * record. Reads of one request are written together, in one insert, before the data is returned:
 * if the record cannot be written, the data is not shown.
 */
export class SensitiveDataAuditService {
  private readonly writers = new WeakMap<RequestContext, DataLoader<string, true>>();

  constructor(private readonly clock: Clock) {}

  /** Records that the caller is about to read `kind` of claim `claimId`. */
  async record(ctx: RequestContext, claimId: number, kind: SensitiveDataKind): Promise<void> {
    let writer = this.writers.get(ctx);
    if (!writer) {
      // Batching only: a second read is a second record, also within a long-lived subscription.
      writer = new DataLoader((keys) => this.write(ctx, keys), { cache: false });
      this.writers.set(ctx, writer);
    }
    await writer.load(`${kind}:${claimId}`);
  }

  private async write(ctx: RequestContext, keys: readonly string[]): Promise<true[]> {
    const viewer = ctx.auth.viewer!;
    const accessedAt = this.clock.now();
    const rows = keys.map((key) => {
      const [kind, claimId] = key.split(':') as [SensitiveDataKind, string];
      return {
        claim: Number(claimId),
        kind,
        viewerRole: actorRoleOf(viewer.role),
        viewerSubject: viewer.subject,
        accessedAt,
      };
    });
    // Its own unit of work: the request's may be read-only or rolled back.
    await ctx.em.fork().insertMany(SensitiveDataAccess, rows);
    return keys.map(() => true);
  }

  /** For agents: the record, newest first, optionally for one claim or one reader. */
  list(
    ctx: RequestContext,
    args: { first: number; after?: string | null; claimId?: number | null; viewerSubject?: string | null },
  ): Promise<KeysetPage<SensitiveDataAccess>> {
    requireRole(ctx.auth, Role.AGENT);
    checkPageSize(args.first);
    const where: Record<string, unknown> = {};
    if (args.claimId != null) where.claim = args.claimId;
    if (args.viewerSubject != null) {
      if (!isSubject(args.viewerSubject)) {
        throw badUserInput('viewerSubject is not a subject a token can carry', 'viewerSubject');
      }
      where.viewerSubject = args.viewerSubject;
    }
    return paginateByKeyset(ctx.em, SensitiveDataAccess, where, {
      first: args.first,
      after: args.after ?? undefined,
      sortKey: 'SENSITIVE_ACCESS:ACCESSED_AT',
      columns: [
        {
          column: 'accessedAt',
          direction: 'DESC',
          parse: (raw) => (Number.isNaN(Date.parse(raw)) ? null : new Date(raw)),
        },
      ],
    });
  }
}
