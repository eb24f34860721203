import { type EntityManager } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { lockingClause } from '../../db/row-lock';
import { placeholders, rowsOf } from '../../db/rows';
import { insertStatement, runStatementsTogether } from '../../db/statements-together';
import { ClaimDescriptionBand } from '../../entities/claim-description-band.entity';
import { IdempotencyRecord } from '../../entities/idempotency-record.entity';
import { actorRoleOf, ClaimEventType } from '../../entities/claim-event-type';
import { ClaimEvidence } from '../../entities/claim-evidence.entity';
import { ClaimInjuryDetails } from '../../entities/claim-injury-details.entity';
import { ClaimKind } from '../../entities/claim-kind';
import { ClaimStatus, SETTLED_CLAIM_STATUSES } from '../../entities/claim-status';
import { Claim } from '../../entities/claim.entity';
import { JobKind, ScheduledJob } from '../../entities/scheduled-job.entity';
import type { RequestContext } from '../../server/request-context';
import type { ClaimResult } from './claim-result';
import { evidenceRows } from './claim-evidence';
import { descriptionBandRows } from '../screening/screening.service';
import { appendClaimEvent, type ClaimEventInput } from './claim-timeline';
import { GroupCommit } from '../common/group-commit';
import { jobRow } from '../jobs/job-scheduler';
import { type Clock, utcDay } from '../common/clock';
import { checkEvidence, type EvidenceRequest } from './evidence-input';
import type { IdempotencyService } from '../common/idempotency.service';
import { type MutationRunner, reusedKey } from '../common/mutation-runner';
import { checkMoney, type MoneyRequest } from '../money/money-input';
import { hashRequest } from '../common/request-hash';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';

export interface InjuryDetailsRequest {
  description: string;
  medicallyTreated: boolean;
  treatmentDetails?: string | null;
}

export interface FileClaimRequest {
  orderId: number;
  kinds: ClaimKind[];
  incidentDate: string;
  description: string;
  amountClaimed: MoneyRequest;
  evidence?: EvidenceRequest[] | null;
  injuryDetails?: InjuryDetailsRequest | null;
  payoutDestination?: string | null;
  idempotencyKey: string;
}

const FILE_CLAIM = 'fileClaim';

/** Who may file a claim: the customer on its own order, or an agent on the customer's behalf. */
export const FILING_ROLES = [Role.CUSTOMER, Role.AGENT];
/** A payment processor's token for an account, never the account number itself. */
const PAYOUT_DESTINATION = /^[A-Za-z0-9_\-:.]+$/;

/** Everything checked before touching the database, normalised. */
interface CheckedFiling {
  orderId: number;
  kinds: Set<ClaimKind>;
  incidentDate: string;
  description: string;
  money: { minor: bigint; currency: string };
  evidence: EvidenceRequest[];
  injury: InjuryDetailsRequest | null;
  payoutDestination: string | null;
}

function failed(userErrors: UserError[]): ClaimResult {
  return { claim: null, userErrors };
}

/** What filing needs of an order and its customer, read as a plain row. */
interface ClaimableOrder {
  id: number;
  customer_id: number;
  /** The customer's own reference: a CUSTOMER files only on orders under their subject. */
  customer_ref: string;
  seller_id: number;
  product_id: number;
  currency: string;
  /** A Date from PostgreSQL, the stored value from SQLite. */
  purchased_at: Date | string | number;
}

/**
 * The orders, locked in id order (so that concurrent batches wait for each other, never deadlock),
 * with their customers' references in the same query but not locked: other writers only ever take
 * a key lock on a customer row, and a full lock there would make them wait for filings. Read as
 * rows: as entities (hydrated, referenced, kept in the identity map and compared again at the
 * flush) they cost about a twentieth of the serving process's CPU under load, for seven columns.
 */
function lockOrdersWithClaimants(em: EntityManager, orderIds: number[]): Promise<ClaimableOrder[]> {
  return rowsOf<ClaimableOrder>(
    em,
    `select o.id, o.customer_id, c.external_ref as customer_ref, o.seller_id, o.product_id, o.currency, o.purchased_at
      from customer_order o join customer c on c.id = o.customer_id
      where o.id in (${placeholders(orderIds)}) order by o.id${lockingClause(em, 'o')}`,
    orderIds,
  );
}

/** The kinds of loss an open claim on one of the orders already covers. */
interface OpenClaimCover {
  order_id: number;
  /** A boolean from PostgreSQL, 0 or 1 from SQLite. */
  covers_property_damage: boolean | number;
  covers_personal_injury: boolean | number;
}

function openClaimsOn(em: EntityManager, orderIds: number[]): Promise<OpenClaimCover[]> {
  const settled = [...SETTLED_CLAIM_STATUSES];
  return rowsOf<OpenClaimCover>(
    em,
    `select order_id, covers_property_damage, covers_personal_injury from claim
      where order_id in (${placeholders(orderIds)}) and status not in (${placeholders(settled)})`,
    [...orderIds, ...settled],
  );
}

function injuryRow(claim: number, injury: InjuryDetailsRequest) {
  return {
    claim,
    description: injury.description,
    medicallyTreated: injury.medicallyTreated,
    treatmentDetails: injury.treatmentDetails ?? null,
  };
}

function byId<Row extends { id: number }>(rows: readonly Row[]): Map<number, Row> {
  return new Map(rows.map((row) => [row.id, row]));
}

/** A checked filing waiting for its turn to be written. */
interface QueuedFiling {
  /** The request's context, whose entity manager the batch's own is forked from. */
  ctx: RequestContext;
  viewer: Viewer;
  filing: CheckedFiling;
  key: string;
  requestHash: string;
}

export interface FilingBatchSettings {
  /** Most filings written in one transaction. */
  maxBatch: number;
  /** Most filing transactions open at once. */
  maxInFlight: number;
}

/**
 * Filing claims and adding evidence. A refused request writes nothing: every check runs before the
 * first insert, and the inserts share one transaction.
 *
 * Filings that arrive together are written together (group commit): while one batch is being
 * written the next gathers, and each batch costs the same handful of statements however many
 * filings it holds. Two filings on the same order, or under the same idempotency key, never share
 * a batch, so the later sees the earlier as committed, exactly as if each were written alone.
 */
export class ClaimFilingService {
  private readonly batches: GroupCommit<QueuedFiling, ClaimResult>;

  constructor(
    private readonly clock: Clock,
    private readonly supportedCurrencies: readonly string[],
    private readonly idempotency: IdempotencyService,
    private readonly mutations: MutationRunner,
    batching: FilingBatchSettings,
  ) {
    this.batches = new GroupCommit({
      ...batching,
      conflictKeys: (queued) => [
        `order:${queued.filing.orderId}`,
        `key:${this.idempotency.scopeOf(queued.viewer)}:${queued.key}`,
      ],
      write: (queued) => queued[0].ctx.em.fork().transactional((em) => this.fileBatch(em, queued)),
    });
  }

  async fileClaim(ctx: RequestContext, request: FileClaimRequest): Promise<ClaimResult> {
    const viewer = requireRole(ctx.auth, ...FILING_ROLES);
    const errors: UserError[] = [];
    const key = checkText(
      request.idempotencyKey,
      ['input', 'idempotencyKey'],
      TEXT_LIMITS.idempotencyKey,
      errors,
    );
    const filing = this.checkFiling(request, errors);
    if (!filing || key === null) return failed(errors);

    const { idempotencyKey: _key, ...hashed } = request;
    const requestHash = hashRequest(hashed);
    return this.mutations.runBatched(ctx, {
      viewer,
      operation: FILE_CLAIM,
      idempotency: { key, requestHash },
      // The batch looks the key up and records it with the claim it files.
      run: () => this.batches.submit({ ctx, viewer, filing, key, requestHash }),
      replay: async (em, claimId) => ({
        claim: await em.findOneOrFail(Claim, Number(claimId)),
        userErrors: [],
      }),
      refused: failed,
    });
  }

  private checkFiling(request: FileClaimRequest, errors: UserError[]): CheckedFiling | null {
    const before = errors.length;
    const orderId = request.orderId;

    const kinds = new Set(request.kinds);
    if (kinds.size === 0) {
      errors.push(userError(['input', 'kinds'], UserErrorCode.REQUIRED, 'name at least one kind of claim'));
    } else if (kinds.size !== request.kinds.length) {
      errors.push(
        userError(['input', 'kinds'], UserErrorCode.DUPLICATE_VALUE, 'each kind may be named once'),
      );
    }

    if (request.incidentDate > utcDay(this.clock.now())) {
      errors.push(
        userError(
          ['input', 'incidentDate'],
          UserErrorCode.INCIDENT_IN_FUTURE,
          'the incident date is in the future',
        ),
      );
    }
    const description = checkText(
      request.description,
      ['input', 'description'],
      TEXT_LIMITS.claimDescription,
      errors,
    );
    const money = checkMoney(
      request.amountClaimed,
      ['input', 'amountClaimed'],
      this.supportedCurrencies,
      errors,
    );
    const evidence = checkEvidence(request.evidence ?? [], ['input', 'evidence'], errors);
    const injury = this.checkInjuryDetails(
      request.injuryDetails ?? null,
      kinds.has(ClaimKind.PERSONAL_INJURY),
      errors,
    );
    const payoutDestination = checkText(
      request.payoutDestination,
      ['input', 'payoutDestination'],
      200,
      errors,
      { required: false },
    );
    if (payoutDestination !== null && !PAYOUT_DESTINATION.test(payoutDestination)) {
      errors.push(
        userError(
          ['input', 'payoutDestination'],
          UserErrorCode.INVALID_FORMAT,
          'a payout destination is a payment-processor token: letters, digits and _ - : .',
        ),
      );
    }

    if (errors.length > before || !money || !evidence || description === null) return null;
    return {
      orderId,
      kinds,
      incidentDate: request.incidentDate,
      description,
      money,
      evidence,
      injury,
      payoutDestination,
    };
  }

  private checkInjuryDetails(
    details: InjuryDetailsRequest | null,
    personalInjury: boolean,
    errors: UserError[],
  ): InjuryDetailsRequest | null {
    const field = ['input', 'injuryDetails'];
    if (!personalInjury) {
      // Medical information is kept only where the claim needs it.
      if (details) {
        errors.push(
          userError(
            field,
            UserErrorCode.INJURY_DETAILS_NOT_APPLICABLE,
            'injury details belong to personal-injury claims only',
          ),
        );
      }
      return null;
    }
    if (!details) {
      errors.push(
        userError(
          field,
          UserErrorCode.INJURY_DETAILS_REQUIRED,
          'a personal-injury claim needs injury details',
        ),
      );
      return null;
    }
    const description = checkText(
      details.description,
      [...field, 'description'],
      TEXT_LIMITS.injuryDescription,
      errors,
    );
    const treatmentDetails = checkText(
      details.treatmentDetails,
      [...field, 'treatmentDetails'],
      TEXT_LIMITS.treatmentDetails,
      errors,
      {
        required: false,
      },
    );
    return description === null
      ? null
      : { description, medicallyTreated: details.medicallyTreated, treatmentDetails };
  }

  /** Writes a batch of filings in `em`'s transaction; one answer per filing, in order. */
  private async fileBatch(em: EntityManager, queued: QueuedFiling[]): Promise<ClaimResult[]> {
    // Filings on one order queue behind each other (here and on other instances), so the
    // open-claim check and the idempotency lookup below see every filing committed before them.
    const orderIds = [...new Set(queued.map(({ filing }) => filing.orderId))].sort((a, b) => a - b);
    const orders = byId(await lockOrdersWithClaimants(em, orderIds));
    const lookups = await this.idempotency.lookupAll(em, FILE_CLAIM, queued);
    const replayedIds = lookups.flatMap((lookup) =>
      lookup.kind === 'replay' ? [Number(lookup.resourceId)] : [],
    );
    const replayed = byId(replayedIds.length > 0 ? await em.find(Claim, { id: { $in: replayedIds } }) : []);
    const openClaims = await openClaimsOn(em, orderIds);

    const now = this.clock.now();
    const results = queued.map(({ viewer, filing }, index): ClaimResult => {
      const order = orders.get(filing.orderId);
      if (!order || (viewer.role === Role.CUSTOMER && order.customer_ref !== viewer.subject)) {
        // Another customer's order is indistinguishable from a missing one.
        return failed([userError(['input', 'orderId'], UserErrorCode.ORDER_NOT_FOUND, 'no such order')]);
      }
      const lookup = lookups[index];
      if (lookup.kind === 'replay')
        return { claim: replayed.get(Number(lookup.resourceId))!, userErrors: [] };
      if (lookup.kind === 'reused') return failed([reusedKey()]);
      const errors = this.checkAgainstOrder(
        order,
        filing,
        openClaims.filter((claim) => claim.order_id === order.id),
      );
      if (errors.length > 0) return failed(errors);
      return { claim: this.stageClaim(em, viewer, order, filing, now), userErrors: [] };
    });
    const filed = results.flatMap((result, index) =>
      result.claim && lookups[index].kind === 'new' ? [{ claim: result.claim, ...queued[index] }] : [],
    );
    if (filed.length === 0) return results;
    await em.flush();

    // What hangs off the new claims goes in as plain rows, all in one round trip on PostgreSQL (their
    // events follow at the commit, as every transaction's do):
    // through the unit of work, these rows (twenty description bands a claim among them) would
    // cost more than everything else in a filing.
    const statements = [
      insertStatement(
        em,
        ScheduledJob,
        filed.map(({ claim }) => jobRow(JobKind.SCREEN_CLAIM, claim.id, now, now)),
      ),
      insertStatement(
        em,
        ClaimEvidence,
        filed.flatMap(({ claim, viewer, filing }) =>
          evidenceRows(claim.id, filing.evidence, actorRoleOf(viewer.role), now),
        ),
      ),
      insertStatement(
        em,
        ClaimInjuryDetails,
        filed.flatMap(({ claim, filing }) => (filing.injury ? [injuryRow(claim.id, filing.injury)] : [])),
      ),
      insertStatement(em, ClaimDescriptionBand, descriptionBandRows(filed.map(({ claim }) => claim))),
      insertStatement(
        em,
        IdempotencyRecord,
        filed.map(({ claim, viewer, key, requestHash }) =>
          this.idempotency.recordRow(viewer, {
            operation: FILE_CLAIM,
            key,
            requestHash,
            resourceId: String(claim.id),
            at: now,
          }),
        ),
      ),
    ];
    await runStatementsTogether(
      em,
      statements.filter((statement) => statement !== null),
    );
    return results;
  }

  /** Stages a new claim and its first event; its evidence and screening job are written with the batch's rows. */
  private stageClaim(
    em: EntityManager,
    viewer: Viewer,
    order: ClaimableOrder,
    filing: CheckedFiling,
    now: Date,
  ): Claim {
    const claim = em.create(Claim, {
      order: order.id,
      customer: order.customer_id,
      seller: order.seller_id,
      product: order.product_id,
      coversPropertyDamage: filing.kinds.has(ClaimKind.PROPERTY_DAMAGE),
      coversPersonalInjury: filing.kinds.has(ClaimKind.PERSONAL_INJURY),
      status: ClaimStatus.SUBMITTED,
      incidentDate: filing.incidentDate,
      description: filing.description,
      claimedAmountMinor: filing.money.minor,
      currency: filing.money.currency,
      filedAt: now,
      filedByRole: viewer.role,
      filedBySubject: viewer.subject,
      payoutDestination: filing.payoutDestination,
    });
    appendClaimEvent(em, claim, this.filedEvent(viewer, now));
    return claim;
  }

  private filedEvent(viewer: Viewer, now: Date): ClaimEventInput {
    return {
      type: ClaimEventType.CLAIM_FILED,
      at: now,
      actorRole: actorRoleOf(viewer.role),
      actorSubject: viewer.subject,
      toStatus: ClaimStatus.SUBMITTED,
      message:
        viewer.role === Role.AGENT
          ? "Claim filed by a claims agent on the customer's behalf."
          : 'Claim filed by the customer.',
    };
  }

  /** Checks that need the order and its open claims: currency, dates, and no open claim of the same kind. */
  private checkAgainstOrder(
    order: ClaimableOrder,
    filing: CheckedFiling,
    open: readonly OpenClaimCover[],
  ): UserError[] {
    const errors: UserError[] = [];
    if (filing.money.currency !== order.currency) {
      errors.push(
        userError(
          ['input', 'amountClaimed', 'currencyCode'],
          UserErrorCode.CURRENCY_MISMATCH,
          `the order was paid in ${order.currency}; claim in the same currency`,
        ),
      );
    }
    if (filing.incidentDate < utcDay(new Date(order.purchased_at))) {
      errors.push(
        userError(
          ['input', 'incidentDate'],
          UserErrorCode.INCIDENT_BEFORE_PURCHASE,
          'the incident date is before the purchase',
        ),
      );
    }
    const overlapping = [...filing.kinds].filter((kind) =>
      open.some((claim) =>
        Boolean(
          kind === ClaimKind.PROPERTY_DAMAGE ? claim.covers_property_damage : claim.covers_personal_injury,
        ),
      ),
    );
    if (overlapping.length > 0) {
      errors.push(
        userError(
          ['input', 'kinds'],
          UserErrorCode.OPEN_CLAIM_EXISTS,
          `an open claim for ${overlapping.join(' and ')} already exists on this order`,
        ),
      );
    }
    return errors;
  }
}
