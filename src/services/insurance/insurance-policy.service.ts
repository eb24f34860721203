import { type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { requireRole } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { lockedForUpdate } from '../../db/row-lock';
import { ActorRole, actorRoleOf } from '../../entities/claim-event-type';
import { InsurancePolicyEventType } from '../../entities/insurance-policy-event.entity';
import {
  InsurancePolicy,
  PolicySource,
  PolicyVerificationStatus,
} from '../../entities/insurance-policy.entity';
import { InsuranceProvider, InsuranceProviderStatus } from '../../entities/insurance-provider.entity';
import { InsuranceRequirement, type RequirementCheck } from '../../entities/requirement-check';
import { JobKind, JobStatus, ScheduledJob } from '../../entities/scheduled-job.entity';
import type { RequestContext } from '../../server/request-context';
import { type Clock, utcDay } from '../common/clock';
import { checkPageSize, type KeysetPage, paginateByKeyset } from '../common/keyset-pagination';
import { type MoneyRequest } from '../money/money-input';
import type { MutationRunner } from '../common/mutation-runner';
import { checkCoverTerms } from './cover-terms-input';
import { NotificationCategory } from '../../entities/notification-category';
import type { NotificationDraft } from '../notifications/notification-draft';
import type { NotificationService } from '../notifications/notification.service';
import { Refusal } from '../common/refusal';
import { checkText, TEXT_LIMITS } from '../common/text-input';
import { type UserError, UserErrorCode, userError } from '../common/user-error';
import { Seller } from '../../entities/seller.entity';
import type { SellerComplianceService } from './seller-compliance.service';
import type { InsuranceAccessService } from './insurance-access.service';
import {
  type CoverTerms,
  checkRequirements,
  describeFailures,
  type InsuranceRequirements,
} from './insurance-requirements';
import { recordPolicyEvent } from './policy-history';

export enum PolicyStatus {
  /** Cover has not started yet. */
  UPCOMING = 'UPCOMING',
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
}

export interface RegisterPolicyRequest {
  sellerId?: number | null;
  providerId: number;
  policyNumber: string;
  effectiveFrom: string;
  effectiveTo: string;
  perOccurrenceLimit: MoneyRequest;
  aggregateLimit: MoneyRequest;
  deductible: MoneyRequest;
  additionalInsured: boolean;
}

export interface VerifyPolicyRequest {
  policyId: number;
  /** The issuer confirms the policy exists on these terms. */
  confirmed: boolean;
  note?: string | null;
}

export interface CancelPolicyRequest {
  policyId: number;
  effectiveOn: string;
  reason: string;
}

export type PolicyResult =
  { policy: InsurancePolicy; userErrors: [] } | { policy: null; userErrors: UserError[] };

const DAY = 24 * 60 * 60 * 1000;
/** Insurance limits run far above a claim's 1,000,000 cap; deductibles may be zero. */
/** Longest policy period accepted: three years and a day (leap years). */
const MAX_PERIOD_DAYS = 3 * 366;

/** The policy's status on `day`, from its dates and any cancellation. */
export function policyStatusOn(policy: InsurancePolicy, day: string): PolicyStatus {
  if (policy.cancelledFrom && policy.cancelledFrom <= day) return PolicyStatus.CANCELLED;
  if (day < policy.effectiveFrom) return PolicyStatus.UPCOMING;
  if (day > policy.effectiveTo) return PolicyStatus.EXPIRED;
  return PolicyStatus.ACTIVE;
}

export function termsOf(policy: InsurancePolicy): CoverTerms {
  return {
    currency: policy.currency,
    perOccurrenceLimitMinor: policy.perOccurrenceLimitMinor,
    aggregateLimitMinor: policy.aggregateLimitMinor,
    deductibleMinor: policy.deductibleMinor,
    additionalInsured: policy.additionalInsured,
  };
}

/** "2026-12-31" → the instant that day starts, UTC. */
function startOf(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function addDays(day: string, days: number): string {
  return utcDay(new Date(startOf(day).getTime() + days * DAY));
}

/**
 * The life of sellers' policies: registration of cover bought anywhere, verification by an agent
 * or the issuing insurer against the marketplace's requirements, cancellation, and expiry with
 * reminders. Policies bound through the network are created by the quote service.
 */
export class InsurancePolicyService {
  constructor(
    private readonly clock: Clock,
    private readonly supportedCurrencies: readonly string[],
    private readonly requirements: InsuranceRequirements,
    private readonly expiryReminderDays: number[],
    private readonly access: InsuranceAccessService,
    private readonly sellerCompliance: SellerComplianceService,
    private readonly mutations: MutationRunner,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Whether a seller held valid insurance at an instant, and why not: for the seller itself,
   * an insurer with a policy of the seller's, or an agent. Null for anyone else.
   */
  async compliance(ctx: RequestContext, sellerId: number | null, at: Date) {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.INSURER, Role.AGENT);
    let seller: Seller | null;
    if (viewer.role === Role.INSURER) {
      const id = sellerId;
      // As for claims: a rejected policy makes no insurer of the seller.
      const insured =
        id !== null &&
        (await ctx.em.count(InsurancePolicy, {
          seller: id,
          provider: { externalRef: viewer.subject },
          verificationStatus: { $ne: PolicyVerificationStatus.REJECTED },
        })) > 0;
      seller = insured ? await ctx.em.findOne(Seller, id) : null;
    } else {
      seller = await this.access.sellerFor(ctx, sellerId);
    }
    if (!seller) return null;
    const compliance = await this.sellerCompliance.on(ctx.em, seller.id, utcDay(at));
    return { seller, at, ...compliance };
  }

  list(
    ctx: RequestContext,
    args: {
      first: number;
      after?: string | null;
      sellerId?: number | null;
      verificationStatus?: PolicyVerificationStatus | null;
    },
  ): Promise<KeysetPage<InsurancePolicy>> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.INSURER, Role.AGENT);
    checkPageSize(args.first);
    const filters: FilterQuery<InsurancePolicy>[] = [this.access.policiesFilter(viewer)!];
    if (args.sellerId != null) filters.push({ seller: args.sellerId });
    if (args.verificationStatus != null) filters.push({ verificationStatus: args.verificationStatus });
    return paginateByKeyset(
      ctx.em,
      InsurancePolicy,
      { $and: filters },
      {
        first: args.first,
        after: args.after ?? undefined,
        sortKey: 'POLICY:EFFECTIVE_FROM',
        columns: [
          {
            column: 'effectiveFrom',
            direction: 'DESC',
            parse: (raw) => (/^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : null),
          },
        ],
      },
    );
  }

  async find(ctx: RequestContext, id: number): Promise<InsurancePolicy | null> {
    const policy = await ctx.em.findOne(InsurancePolicy, id);
    return policy && (await this.access.canSeePolicy(ctx, policy)) ? policy : null;
  }

  requirementChecks(policy: InsurancePolicy, provider: InsuranceProvider): RequirementCheck[] {
    return checkRequirements(termsOf(policy), provider.financialRating, this.requirements);
  }

  /** A policy bought outside the network: pending until an agent or its insurer verifies it. */
  async register(ctx: RequestContext, request: RegisterPolicyRequest): Promise<PolicyResult> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.AGENT);
    const errors: UserError[] = [];
    const policyNumber = checkText(
      request.policyNumber,
      ['input', 'policyNumber'],
      TEXT_LIMITS.externalRef,
      errors,
    );
    const terms = this.checkTerms(request, errors);
    const seller = await this.access.sellerFor(ctx, request.sellerId);
    if (!seller) errors.push(userError(['input', 'sellerId'], UserErrorCode.NOT_FOUND, 'no such seller'));
    const provider = await ctx.em.findOne(InsuranceProvider, request.providerId);
    if (!provider)
      errors.push(userError(['input', 'providerId'], UserErrorCode.NOT_FOUND, 'no such provider'));
    else if (provider.status === InsuranceProviderStatus.SUSPENDED) {
      errors.push(
        userError(
          ['input', 'providerId'],
          UserErrorCode.PROVIDER_SUSPENDED,
          'this provider is suspended by the marketplace',
        ),
      );
    }
    if (errors.length > 0 || !policyNumber || !terms || !seller || !provider)
      return { policy: null, userErrors: errors };

    return this.mutations.run<PolicyResult>(ctx, {
      viewer,
      operation: 'registerInsurancePolicy',
      run: async (em) => {
        const existing = await em.findOne(InsurancePolicy, { provider, policyNumber });
        if (existing) {
          const same =
            existing.seller.id === seller.id &&
            existing.effectiveFrom === request.effectiveFrom &&
            existing.effectiveTo === request.effectiveTo &&
            sameTerms(termsOf(existing), terms);
          if (same) return { policy: existing, userErrors: [] };
          throw new Refusal([
            userError(
              ['input', 'policyNumber'],
              UserErrorCode.POLICY_CONFLICT,
              'this policy number of this provider is registered with different details',
            ),
          ]);
        }
        const now = this.clock.now();
        const policy = em.create(InsurancePolicy, {
          seller,
          provider,
          policyNumber,
          effectiveFrom: request.effectiveFrom,
          effectiveTo: request.effectiveTo,
          verificationStatus: PolicyVerificationStatus.PENDING_VERIFICATION,
          source: PolicySource.REGISTERED,
          registeredAt: now,
          ...terms,
        });
        recordPolicyEvent(
          em,
          policy,
          InsurancePolicyEventType.REGISTERED,
          actorRoleOf(viewer.role),
          `Registered for verification: ${provider.name} policy ${policyNumber}, ${request.effectiveFrom} to ${request.effectiveTo}.`,
          now,
        );
        return { policy, userErrors: [] };
      },
      refused: (userErrors) => ({ policy: null, userErrors }),
      // Registered concurrently: the second run finds it and compares.
      raced: 'run again',
    });
  }

  /**
   * Checks a pending policy against every requirement, with the verifier's confirmation that it
   * exists on these terms: VERIFIED when all pass, otherwise REJECTED with what failed.
   */
  async verify(ctx: RequestContext, request: VerifyPolicyRequest): Promise<PolicyResult> {
    const viewer = requireRole(ctx.auth, Role.AGENT, Role.INSURER);
    const errors: UserError[] = [];
    const note = checkText(request.note, ['input', 'note'], TEXT_LIMITS.claimDescription, errors, {
      required: false,
    });
    if (errors.length > 0) return { policy: null, userErrors: errors };
    return this.changePolicy(ctx, request.policyId, viewer, async (em, policy, provider, now) => {
      if (policy.verificationStatus !== PolicyVerificationStatus.PENDING_VERIFICATION) {
        throw new Refusal([
          userError(
            ['input', 'policyId'],
            UserErrorCode.WRONG_STATUS,
            `the policy is already ${policy.verificationStatus}`,
          ),
        ]);
      }
      const checks = [
        ...this.requirementChecks(policy, provider),
        {
          requirement: InsuranceRequirement.ISSUER_CONFIRMATION,
          passed: request.confirmed,
          required: 'the issuer confirms the policy on these terms',
          actual: request.confirmed ? 'confirmed' : 'not confirmed',
        },
      ];
      policy.verifiedAt = now;
      policy.verifiedByRole = actorRoleOf(viewer.role);
      policy.verifiedBySubject = viewer.subject;
      policy.verificationNote = note;
      if (checks.every((check) => check.passed)) {
        policy.verificationStatus = PolicyVerificationStatus.VERIFIED;
        recordPolicyEvent(
          em,
          policy,
          InsurancePolicyEventType.VERIFIED,
          actorRoleOf(viewer.role),
          'Verified: the policy meets every marketplace requirement.',
          now,
        );
        this.scheduleExpiry(em, policy, now);
      } else {
        policy.verificationStatus = PolicyVerificationStatus.REJECTED;
        policy.failedRequirements = checks.filter((check) => !check.passed);
        recordPolicyEvent(
          em,
          policy,
          InsurancePolicyEventType.REJECTED,
          actorRoleOf(viewer.role),
          `Rejected: ${describeFailures(checks)}.`,
          now,
        );
      }
    });
  }

  /** Ends cover from a day on; the seller, its insurer or an agent may cancel. */
  async cancel(ctx: RequestContext, request: CancelPolicyRequest): Promise<PolicyResult> {
    const viewer = requireRole(ctx.auth, Role.SELLER, Role.INSURER, Role.AGENT);
    const errors: UserError[] = [];
    const reason = checkText(request.reason, ['input', 'reason'], TEXT_LIMITS.claimDescription, errors);
    if (viewer.role === Role.SELLER && request.effectiveOn < utcDay(this.clock.now())) {
      // A seller cannot undo cover it already relied on; an agent or the insurer may record a past cancellation.
      errors.push(
        userError(
          ['input', 'effectiveOn'],
          UserErrorCode.OUT_OF_RANGE,
          'a seller may cancel from today on, not in the past',
        ),
      );
    }
    if (errors.length > 0 || !reason) return { policy: null, userErrors: errors };
    return this.changePolicy(ctx, request.policyId, viewer, async (em, policy, _provider, now) => {
      if (policy.cancelledFrom) {
        throw new Refusal([
          userError(
            ['input', 'policyId'],
            UserErrorCode.WRONG_STATUS,
            `the policy is already cancelled from ${policy.cancelledFrom}`,
          ),
        ]);
      }
      if (request.effectiveOn > policy.effectiveTo) {
        throw new Refusal([
          userError(
            ['input', 'effectiveOn'],
            UserErrorCode.OUT_OF_RANGE,
            `cover already ends on ${policy.effectiveTo}`,
          ),
        ]);
      }
      policy.cancelledFrom =
        request.effectiveOn < policy.effectiveFrom ? policy.effectiveFrom : request.effectiveOn;
      policy.cancellationReason = reason;
      recordPolicyEvent(
        em,
        policy,
        InsurancePolicyEventType.CANCELLED,
        actorRoleOf(viewer.role),
        `Cancelled from ${policy.cancelledFrom}: ${reason}`,
        now,
      );
    });
  }

  /** Stages the expiry reminders and the expiry of a policy that just became valid. */
  scheduleExpiry(em: EntityManager, policy: InsurancePolicy, now: Date): void {
    const endsAt = startOf(addDays(policy.effectiveTo, 1));
    for (const days of this.expiryReminderDays) {
      const at = new Date(endsAt.getTime() - days * DAY);
      if (at.getTime() > now.getTime())
        em.create(ScheduledJob, {
          kind: JobKind.POLICY_EXPIRY_REMINDER,
          policy,
          dueAt: at,
          status: JobStatus.PENDING,
          createdAt: now,
        });
    }
    if (endsAt.getTime() > now.getTime())
      em.create(ScheduledJob, {
        kind: JobKind.POLICY_EXPIRY,
        policy,
        dueAt: endsAt,
        status: JobStatus.PENDING,
        createdAt: now,
      });
  }

  /** A reminder, unless the policy no longer ends then or a later verified policy takes over. */
  async remindExpiry(em: EntityManager, policy: InsurancePolicy, now: Date): Promise<void> {
    const endsAt = startOf(addDays(policy.effectiveTo, 1));
    // Run late, after cover ended (the processor was down): the expiry says it all.
    if (now.getTime() >= endsAt.getTime() || !(await this.endsUncovered(em, policy))) return;
    const days = Math.ceil((endsAt.getTime() - now.getTime()) / DAY);
    const provider = await em.findOneOrFail(InsuranceProvider, policy.provider.id);
    const message =
      `Reminder: cover under ${provider.name} policy ${policy.policyNumber} ends on ${policy.effectiveTo}, in ${days} days. ` +
      'Renew it, bind a new quote or register another policy to stay compliant.';
    recordPolicyEvent(em, policy, InsurancePolicyEventType.EXPIRY_REMINDER, ActorRole.SYSTEM, message, now);
    await this.tellSeller(
      em,
      policy,
      {
        category: NotificationCategory.POLICY_EXPIRING,
        title: `Your cover ends on ${policy.effectiveTo}`,
        body: message,
        sourceKey: `policy:${policy.id}:expiring:${days}`,
      },
      now,
    );
  }

  async expire(em: EntityManager, policy: InsurancePolicy, now: Date): Promise<void> {
    if (policy.verificationStatus !== PolicyVerificationStatus.VERIFIED || policy.cancelledFrom) return;
    const uncovered = await this.endsUncovered(em, policy);
    const message = `Cover ended on ${policy.effectiveTo}.${uncovered ? ' No later verified policy follows: the seller is not compliant from the next day.' : ''}`;
    recordPolicyEvent(em, policy, InsurancePolicyEventType.EXPIRED, ActorRole.SYSTEM, message, now);
    await this.tellSeller(
      em,
      policy,
      {
        category: NotificationCategory.POLICY_EXPIRED,
        title: `Your cover under policy ${policy.policyNumber} ended`,
        body: message,
        sourceKey: `policy:${policy.id}:expired`,
      },
      now,
    );
  }

  private async tellSeller(
    em: EntityManager,
    policy: InsurancePolicy,
    notice: Omit<NotificationDraft, 'recipient'>,
    now: Date,
  ): Promise<void> {
    const seller = await em.findOneOrFail(Seller, policy.seller.id);
    await this.notifications.stage(
      em,
      [{ ...notice, recipient: { role: Role.SELLER, subject: seller.externalRef } }],
      now,
    );
  }

  /** Whether the verified, uncancelled policy ends with no later verified policy covering the next day. */
  private async endsUncovered(em: EntityManager, policy: InsurancePolicy): Promise<boolean> {
    if (policy.verificationStatus !== PolicyVerificationStatus.VERIFIED || policy.cancelledFrom) return false;
    const nextDay = addDays(policy.effectiveTo, 1);
    const successor = await em.findOne(InsurancePolicy, {
      seller: policy.seller.id,
      id: { $ne: policy.id },
      verificationStatus: PolicyVerificationStatus.VERIFIED,
      effectiveFrom: { $lte: nextDay },
      effectiveTo: { $gte: nextDay },
      $or: [{ cancelledFrom: null }, { cancelledFrom: { $gt: nextDay } }],
    });
    return successor === null;
  }

  /** Runs `change` on the locked policy when the viewer may act on it: agents, or the issuing insurer (or, for cancelling, its seller). */
  private async changePolicy(
    ctx: RequestContext,
    policyId: number,
    viewer: Viewer,
    change: (
      em: EntityManager,
      policy: InsurancePolicy,
      provider: InsuranceProvider,
      now: Date,
    ) => Promise<void>,
  ): Promise<PolicyResult> {
    const notFound = {
      policy: null,
      userErrors: [userError(['input', 'policyId'], UserErrorCode.NOT_FOUND, 'no such policy')],
    };
    const id = policyId;
    // Who may act is checked before the transaction: the access check reads through the request's
    // loaders, which query outside it (on SQLite, whose one connection the transaction holds, they
    // would wait forever). A policy's seller and provider never change, so the check stays true.
    if (!(await this.find(ctx, id))) return notFound;
    return this.mutations.run<PolicyResult>(ctx, {
      viewer,
      operation: 'changeInsurancePolicy',
      run: async (em) => {
        const policy = await em.findOneOrFail(InsurancePolicy, id, lockedForUpdate(em));
        const provider = await em.findOneOrFail(InsuranceProvider, policy.provider.id);
        await change(em, policy, provider, this.clock.now());
        return { policy, userErrors: [] };
      },
      refused: (userErrors) => ({ policy: null, userErrors }),
    });
  }

  private checkTerms(request: RegisterPolicyRequest, errors: UserError[]): CoverTerms | null {
    const before = errors.length;
    const terms = checkCoverTerms(request, this.supportedCurrencies, errors);
    if (request.effectiveTo < request.effectiveFrom) {
      errors.push(
        userError(
          ['input', 'effectiveTo'],
          UserErrorCode.PERIOD_INVALID,
          'effectiveTo is before effectiveFrom',
        ),
      );
    } else if (
      startOf(request.effectiveTo).getTime() - startOf(request.effectiveFrom).getTime() >
      MAX_PERIOD_DAYS * DAY
    ) {
      errors.push(
        userError(
          ['input', 'effectiveTo'],
          UserErrorCode.PERIOD_INVALID,
          'a policy period is at most three years',
        ),
      );
    }
    return errors.length > before ? null : terms;
  }
}

function sameTerms(a: CoverTerms, b: CoverTerms): boolean {
  return (
    a.currency === b.currency &&
    a.perOccurrenceLimitMinor === b.perOccurrenceLimitMinor &&
    a.aggregateLimitMinor === b.aggregateLimitMinor &&
    a.deductibleMinor === b.deductibleMinor &&
    a.additionalInsured === b.additionalInsured
  );
}
