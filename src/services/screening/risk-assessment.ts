import { ReviewPriority, ScreeningOutcome } from '../../entities/screening-outcome';
import {
  ScreeningSignalCategory,
  ScreeningSignalCode,
  type ScreeningSignal,
} from '../../entities/screening-signal';
import { formatAmount } from '../money/money';
import { productClaimsCountedUpTo, type ScreeningFacts } from './screening-facts';
import type { ScreeningPolicy, WeightBand } from './screening-policy';

export interface RiskAssessment {
  riskScore: number;
  outcome: ScreeningOutcome;
  priority: ReviewPriority | null;
  signals: ScreeningSignal[];
  /** For a denial: the reason the customer is given. */
  denialReason: string | null;
}

const DAY = 24 * 60 * 60 * 1000;
const { CUSTOMER_RISK, PRODUCT_RISK, HARD_RULE } = ScreeningSignalCategory;

/**
 * Scores a claim from its facts under a policy. Pure: the same facts and policy always give the
 * same assessment, signals in the same order.
 */
export function assessRisk(facts: ScreeningFacts, policy: ScreeningPolicy): RiskAssessment {
  const signals: ScreeningSignal[] = [];
  const add = (
    code: ScreeningSignalCode,
    category: ScreeningSignalCategory,
    weight: number,
    evidence: string,
  ) => signals.push({ code, category, weight: category === CUSTOMER_RISK ? weight : 0, evidence });
  const banded = (code: ScreeningSignalCode, bands: WeightBand[], value: number, evidence: () => string) => {
    const weight = weightFor(bands, value);
    if (weight > 0) add(code, CUSTOMER_RISK, weight, evidence());
  };
  const { claim, order } = facts;
  const money = (minor: bigint) => `${formatAmount(minor, claim.currency)} ${claim.currency}`;

  if (order.priceMinor > 0n) {
    // Tenths of a multiple, in integers: amounts never pass through floating point.
    const allowance = claim.coversPersonalInjury ? policy.amountToOrderValue.injuryAllowance : 1;
    const tenths = Number((claim.amountMinor * 10n) / order.priceMinor);
    banded(
      ScreeningSignalCode.AMOUNT_ABOVE_ORDER_VALUE,
      policy.amountToOrderValue.bands,
      tenths / 10 / allowance,
      () =>
        `${money(claim.amountMinor)} claimed is ${(tenths / 10).toFixed(1)}× the order value of ${money(order.priceMinor)}` +
        (allowance > 1
          ? ` (counted as ${(tenths / 10 / allowance).toFixed(1)}× for a claim with personal injury)`
          : ''),
    );
  }

  const incidentDay = Date.parse(`${claim.incidentDate}T00:00:00Z`);
  if (order.deliveredAt) {
    const deliveryDay = Date.parse(`${order.deliveredAt.toISOString().slice(0, 10)}T00:00:00Z`);
    if (incidentDay < deliveryDay) {
      add(
        ScreeningSignalCode.INCIDENT_BEFORE_DELIVERY,
        CUSTOMER_RISK,
        policy.incidentBeforeDelivery.weight,
        `the incident (${claim.incidentDate}) is dated before delivery (${order.deliveredAt.toISOString().slice(0, 10)})`,
      );
    } else {
      const days = Math.floor((incidentDay - deliveryDay) / DAY);
      banded(
        ScreeningSignalCode.INCIDENT_LONG_AFTER_DELIVERY,
        policy.incidentAfterDeliveryDays.bands,
        days,
        () => `the incident happened ${days} days after delivery`,
      );
    }
  }
  if (!order.deliveredAt || order.deliveredAt.getTime() > claim.filedAt.getTime()) {
    add(
      ScreeningSignalCode.FILED_BEFORE_DELIVERY,
      CUSTOMER_RISK,
      policy.filedBeforeDelivery.weight,
      'the order had not been delivered when the claim was filed',
    );
  }
  const filingDelay = Math.floor((claim.filedAt.getTime() - incidentDay) / DAY);
  banded(
    ScreeningSignalCode.FILED_LONG_AFTER_INCIDENT,
    policy.filingDelayDays.bands,
    filingDelay,
    () => `the claim was filed ${filingDelay} days after the incident`,
  );

  const since = (days: number) =>
    facts.earlierClaimsOfClaimant.filter((c) => claim.filedAt.getTime() - c.filedAt.getTime() <= days * DAY)
      .length;
  const velocity = since(policy.claimantVelocity.windowDays);
  banded(
    ScreeningSignalCode.CLAIMANT_VELOCITY,
    policy.claimantVelocity.bands,
    velocity,
    () =>
      `the claimant filed ${velocity} other claims in the ${policy.claimantVelocity.windowDays} days before this one`,
  );
  const history = since(policy.claimantHistory.windowDays);
  banded(
    ScreeningSignalCode.CLAIMANT_HISTORY,
    policy.claimantHistory.bands,
    history,
    () =>
      `the claimant filed ${history} other claims in the ${policy.claimantHistory.windowDays} days before this one`,
  );
  const denials = facts.earlierClaimsOfClaimant.filter((c) => c.denied).length;
  banded(
    ScreeningSignalCode.CLAIMANT_DENIALS,
    policy.claimantDenials.bands,
    denials,
    () =>
      `${denials} earlier claim${denials === 1 ? ' of the claimant was' : 's of the claimant were'} denied`,
  );

  const acrossCustomers = facts.reusedEvidence.filter((item) => !item.sameCustomer);
  if (acrossCustomers.length > 0) {
    add(
      ScreeningSignalCode.EVIDENCE_REUSED_ACROSS_CUSTOMERS,
      CUSTOMER_RISK,
      policy.evidenceReuse.otherCustomerWeight,
      `evidence identical to evidence of another customer's claim: ${describeReuse(acrossCustomers)}`,
    );
  }
  const ownClaims = facts.reusedEvidence.filter((item) => item.sameCustomer);
  if (ownClaims.length > 0) {
    add(
      ScreeningSignalCode.EVIDENCE_REUSED_ACROSS_CLAIMS,
      CUSTOMER_RISK,
      policy.evidenceReuse.ownClaimWeight,
      `evidence identical to evidence of the claimant's earlier claim: ${describeReuse(ownClaims)}`,
    );
  }

  const similar = facts.similarDescriptions;
  banded(
    ScreeningSignalCode.SIMILAR_DESCRIPTION,
    policy.similarDescription.bands,
    similar.length,
    () =>
      `the description is near-identical to ${similar.length} other claimant${similar.length === 1 ? "'s claim" : "s' claims"}: ` +
      similar
        .slice(0, 5)
        .map((item) => `${item.claimNumber} (${Math.round(item.similarity * 100)} % alike)`)
        .join(', '),
  );
  banded(
    ScreeningSignalCode.SHARED_ADDRESS_CLAIMANTS,
    policy.sharedAddressClaimants.bands,
    facts.otherClaimantsAtAddress,
    () =>
      `${facts.otherClaimantsAtAddress} other claimant${plural(facts.otherClaimantsAtAddress)} had orders delivered to the same address`,
  );
  banded(
    ScreeningSignalCode.SHARED_ADDRESS_ACCOUNTS,
    policy.sharedAddressAccounts.bands,
    facts.newAccountsAtAddress,
    () =>
      `${facts.newAccountsAtAddress} other customer account${plural(facts.newAccountsAtAddress)}, opened in the last ${policy.sharedAddressAccounts.windowDays} days, ordered to the same delivery address`,
  );
  if (facts.claimantFirstOrderAt) {
    const age = Math.floor((claim.filedAt.getTime() - facts.claimantFirstOrderAt.getTime()) / DAY);
    if (age <= policy.newAccount.days) {
      add(
        ScreeningSignalCode.NEW_CUSTOMER_ACCOUNT,
        CUSTOMER_RISK,
        policy.newAccount.weight,
        `the claimant's first order was ${age} days before the claim`,
      );
    }
  }
  banded(
    ScreeningSignalCode.SHARED_PAYOUT_DESTINATION,
    policy.sharedPayoutDestination.bands,
    facts.otherClaimantsWithPayoutDestination,
    () =>
      `${facts.otherClaimantsWithPayoutDestination} other claimant${plural(facts.otherClaimantsWithPayoutDestination)} asked to be paid to the same account`,
  );

  if (facts.recentClaimsOnProduct >= policy.productClaims.atLeast) {
    const counted =
      facts.recentClaimsOnProduct >= productClaimsCountedUpTo(policy)
        ? `${facts.recentClaimsOnProduct} or more`
        : `${facts.recentClaimsOnProduct}`;
    add(
      ScreeningSignalCode.PRODUCT_CLAIM_CLUSTER,
      PRODUCT_RISK,
      0,
      `${counted} other claims on this product in the last ${policy.productClaims.windowDays} days: a sign of a product defect, not of the claimant`,
    );
  }

  const riskScore = Math.min(
    100,
    signals.reduce((sum, signal) => sum + signal.weight, 0),
  );
  if (facts.paidDuplicates.length > 0) {
    const paid = facts.paidDuplicates.join(', ');
    add(
      ScreeningSignalCode.DUPLICATE_OF_PAID_CLAIM,
      HARD_RULE,
      0,
      `the same loss on the same order was already paid in ${paid}`,
    );
    return {
      riskScore,
      outcome: ScreeningOutcome.DENY,
      priority: null,
      signals,
      denialReason: `This claim repeats ${paid}, which was already paid for the same order and the same kind of loss.`,
    };
  }
  if (riskScore < policy.referAt)
    return { riskScore, outcome: ScreeningOutcome.PASS, priority: null, signals, denialReason: null };
  return {
    riskScore,
    outcome: ScreeningOutcome.REFER,
    priority: riskScore >= policy.highPriorityAt ? ReviewPriority.HIGH : ReviewPriority.NORMAL,
    signals,
    denialReason: null,
  };
}

/** The weight of the highest band `value` reaches; 0 below every band. */
export function weightFor(bands: WeightBand[], value: number): number {
  let weight = 0;
  let reached = -Infinity;
  for (const band of bands) {
    if (value >= band.atLeast && band.atLeast >= reached) {
      reached = band.atLeast;
      weight = band.weight;
    }
  }
  return weight;
}

function describeReuse(items: ScreeningFacts['reusedEvidence']): string {
  const claims = [...new Set(items.map((item) => item.claimNumber))];
  return claims.slice(0, 5).join(', ') + (claims.length > 5 ? ` and ${claims.length - 5} more` : '');
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
