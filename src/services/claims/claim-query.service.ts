import type { FilterQuery } from '@mikro-orm/core';
import { ClaimKind } from '../../entities/claim-kind';
import type { ClaimStatus } from '../../entities/claim-status';
import { Claim } from '../../entities/claim.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimAccessService } from './claim-access.service';
import {
  checkPageSize,
  type KeysetPage,
  paginateByKeyset,
  type SortDirection,
} from '../common/keyset-pagination';

export enum ClaimSortField {
  FILED_AT = 'FILED_AT',
  AMOUNT = 'AMOUNT',
}

export interface ClaimListFilter {
  statuses?: ClaimStatus[];
  kind?: ClaimKind;
  sellerId?: number;
  customerId?: number;
  filedFrom?: Date;
  filedBefore?: Date;
}

export interface ClaimListArgs {
  first: number;
  after?: string | null;
  filter?: ClaimListFilter | null;
  orderBy?: { field: ClaimSortField; direction: SortDirection } | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Sort columns, each with a parser that accepts only values the server itself could have issued. */
const SORT_COLUMNS: Record<ClaimSortField, { column: string; parse: (raw: string) => unknown }> = {
  [ClaimSortField.FILED_AT]: {
    column: 'filedAt',
    parse: (raw) => (ISO_INSTANT.test(raw) && new Date(raw).toISOString() === raw ? new Date(raw) : null),
  },
  [ClaimSortField.AMOUNT]: {
    column: 'claimedAmountMinor',
    parse: (raw) => {
      if (!/^-?\d{1,19}$/.test(raw)) return null;
      const value = BigInt(raw);
      return BigInt.asIntN(64, value) === value ? value : null;
    },
  },
};

/** Reads claims, always within what the caller may see. */
export class ClaimQueryService {
  constructor(private readonly access: ClaimAccessService) {}

  /** The claim, or null when it does not exist or the caller may not see it (no existence leak). */
  async findVisible(ctx: RequestContext, claimId: number): Promise<Claim | null> {
    const visible = await this.access.visibleClaimsFilter(ctx);
    return ctx.em.findOne(Claim, { $and: [{ id: claimId }, visible] });
  }

  async list(ctx: RequestContext, args: ClaimListArgs): Promise<KeysetPage<Claim>> {
    checkPageSize(args.first);
    const visible = await this.access.visibleClaimsFilter(ctx);
    const where: FilterQuery<Claim> = { $and: [visible, this.toWhere(args.filter ?? {})] };
    const order = args.orderBy ?? { field: ClaimSortField.FILED_AT, direction: 'DESC' as SortDirection };
    return paginateByKeyset(ctx.em, Claim, where, {
      first: args.first,
      after: args.after ?? undefined,
      // The direction is part of the ordering: a cursor of one direction is refused by the other.
      sortKey: `${order.field}:${order.direction}`,
      columns: [{ ...SORT_COLUMNS[order.field], direction: order.direction }],
    });
  }

  private toWhere(filter: ClaimListFilter): FilterQuery<Claim> {
    const where: FilterQuery<Claim> & Record<string, unknown> = {};
    if (filter.statuses?.length) where.status = { $in: filter.statuses };
    if (filter.kind === ClaimKind.PROPERTY_DAMAGE) where.coversPropertyDamage = true;
    if (filter.kind === ClaimKind.PERSONAL_INJURY) where.coversPersonalInjury = true;
    if (filter.sellerId !== undefined) where.seller = filter.sellerId;
    if (filter.customerId !== undefined) where.customer = filter.customerId;
    if (filter.filedFrom || filter.filedBefore) {
      where.filedAt = {
        ...(filter.filedFrom ? { $gte: filter.filedFrom } : {}),
        ...(filter.filedBefore ? { $lt: filter.filedBefore } : {}),
      };
    }
    return where;
  }
}
