import type { FilterQuery } from '@mikro-orm/core';
import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { ClaimDecisionKind } from '../../entities/claim-decision.entity';
import { ActorRole } from '../../entities/claim-event-type';
import type { ClaimStatus } from '../../entities/claim-status';
import type { Claim } from '../../entities/claim.entity';
import { PayerParty } from '../../entities/money-party';

/**
 * Who may see what of a claim, in one place: which claims, which of their events, which fields
 * and which text. Queries, `node`, connections, the timeline, live subscriptions and replay all
 * ask here.
 *
 * Events are judged as of each event: whether a viewer receives an event depends only on the
 * event and on facts fixed by the time it was committed (the claim's parties, the position from
 * which the claim was released to the seller side, the positions between which an expert held
 * its review). A live subscription and a later replay of the same range therefore deliver the
 * same events to every viewer, whatever happened to the claim in between.
 */

/** Whose words a viewer reads: every text is written for one of these. */
export enum Audience {
  /** The claimant: what it needs to know about its claim. */
  CUSTOMER = 'CUSTOMER',
  /** The seller and its insurer: never anything that reveals screening or expert review. */
  SELLER_SIDE = 'SELLER_SIDE',
  /** Claims staff and the reviewing expert: the full record. */
  MARKETPLACE = 'MARKETPLACE',
}

export function audienceOf(role: Role): Audience {
  switch (role) {
    case Role.CUSTOMER:
      return Audience.CUSTOMER;
    case Role.SELLER:
    case Role.INSURER:
      return Audience.SELLER_SIDE;
    case Role.AGENT:
    case Role.FRAUD_EXPERT:
      return Audience.MARKETPLACE;
  }
}

/** What visibility reads of a claim: its parties, and the positions that open and close views. */
export interface ClaimAudience {
  customerRef: string;
  sellerRef: string;
  /** The seller's insurer on the incident day, fixed when the claim was released. */
  insurerRef: string | null;
  /** The claim's first event the seller side sees: the one that released the claim to it; null until then. */
  releasedFromSequence: number | null;
  /** The fraud expert that picked the claim's review, and the events it held the review between. */
  reviewerRef: string | null;
  reviewFromSequence: number | null;
  /** Null while the review is open. */
  reviewUntilSequence: number | null;
}

interface ClaimScope {
  /** The claims in scope, as a query condition; `reviewed`: the claims whose review the viewer picked (experts only). */
  where(subject: string, reviewed: readonly number[]): FilterQuery<Claim>;
  /** The same condition, on one claim in memory. */
  holds(subject: string, claim: ClaimAudience): boolean;
}

/**
 * Which claims each role sees, each written once as a query and once in memory, side by side
 * (test/claim-visibility-rule.test.ts checks that the two agree):
 * - AGENT: every claim.
 * - CUSTOMER: the claims filed on its own orders.
 * - SELLER: the claims against it, once released to it.
 * - INSURER: the released claims whose insurer on the incident day it is.
 * - FRAUD_EXPERT: the claims whose review it picked.
 */
const CLAIM_SCOPES: Record<Role, ClaimScope> = {
  [Role.AGENT]: {
    where: () => ({}),
    holds: () => true,
  },
  [Role.CUSTOMER]: {
    where: (subject) => ({ customer: { externalRef: subject } }),
    holds: (subject, claim) => claim.customerRef === subject,
  },
  [Role.SELLER]: {
    where: (subject) => ({ seller: { externalRef: subject }, releasedFromSequence: { $ne: null } }),
    holds: (subject, claim) => claim.sellerRef === subject && claim.releasedFromSequence !== null,
  },
  [Role.INSURER]: {
    where: (subject) => ({ insurer: { externalRef: subject }, releasedFromSequence: { $ne: null } }),
    holds: (subject, claim) => claim.insurerRef === subject && claim.releasedFromSequence !== null,
  },
  [Role.FRAUD_EXPERT]: {
    where: (_subject, reviewed) => ({ id: { $in: [...reviewed] } }),
    holds: (subject, claim) => claim.reviewerRef === subject,
  },
};

/** The claims `viewer` sees, as a query condition. `reviewed`: for an expert, the claims whose review it picked. */
export function visibleClaimsWhere(viewer: Viewer, reviewed: readonly number[]): FilterQuery<Claim> {
  return CLAIM_SCOPES[viewer.role].where(viewer.subject, reviewed);
}

/** Whether `viewer` sees the claim. */
export function claimInScope(viewer: Viewer, claim: ClaimAudience): boolean {
  return CLAIM_SCOPES[viewer.role].holds(viewer.subject, claim);
}

/**
 * Whether `viewer`, which sees the claim, sees its event at `sequence`: customers and agents every
 * event; the seller side from the release on; the expert the events from its pick to its finding.
 */
export function eventInView(viewer: Viewer, claim: EventWindows, sequence: number): boolean {
  switch (viewer.role) {
    case Role.AGENT:
    case Role.CUSTOMER:
      return true;
    case Role.SELLER:
    case Role.INSURER:
      return claim.releasedFromSequence !== null && sequence >= claim.releasedFromSequence;
    case Role.FRAUD_EXPERT:
      return (
        claim.reviewerRef === viewer.subject &&
        claim.reviewFromSequence !== null &&
        sequence >= claim.reviewFromSequence &&
        (claim.reviewUntilSequence === null || sequence <= claim.reviewUntilSequence)
      );
  }
}

/** What of a claim decides which of its events a viewer that sees it sees. */
export type EventWindows = Pick<
  ClaimAudience,
  'releasedFromSequence' | 'reviewerRef' | 'reviewFromSequence' | 'reviewUntilSequence'
>;

/** The live and replayed decision for one event: the claim in scope, and the event in view. */
export function mayReceive(viewer: Viewer, claim: ClaimAudience, sequence: number): boolean {
  return claimInScope(viewer, claim) && eventInView(viewer, claim, sequence);
}

/** An event's words, one text per audience (a missing one reads as the marketplace's). */
export interface EventText {
  marketplace: string;
  customer?: string | null;
  sellerSide?: string | null;
}

/** How an event reads to `viewer`. */
export interface EventAsRead {
  message: string;
  actorRole: ActorRole;
  fromStatus: ClaimStatus | null;
}

/**
 * The event as `viewer` reads it: the text written for its audience; for the seller side, an
 * expert's act reads as the marketplace's, and the event that released the claim comes from no
 * earlier status the seller side could know.
 */
export function eventAsRead(
  viewer: Viewer,
  claim: Pick<ClaimAudience, 'releasedFromSequence'>,
  event: { sequence: number; text: EventText; actorRole: ActorRole; fromStatus: ClaimStatus | null },
): EventAsRead {
  const audience = audienceOf(viewer.role);
  const { text } = event;
  if (audience === Audience.MARKETPLACE) {
    return { message: text.marketplace, actorRole: event.actorRole, fromStatus: event.fromStatus };
  }
  if (audience === Audience.CUSTOMER) {
    return {
      message: text.customer ?? text.marketplace,
      actorRole: event.actorRole,
      fromStatus: event.fromStatus,
    };
  }
  return {
    message: text.sellerSide ?? text.marketplace,
    actorRole: event.actorRole === ActorRole.FRAUD_EXPERT ? ActorRole.SYSTEM : event.actorRole,
    fromStatus: event.sequence === claim.releasedFromSequence ? null : event.fromStatus,
  };
}

/**
 * Decisions never shown to the seller side: those of screening and expert review, and the
 * customer's appeal to the marketplace (its statement may follow a denial the seller never heard
 * of; the seller side reads of an appeal after its release in the timeline).
 */
const NOT_FOR_SELLER_SIDE: readonly ClaimDecisionKind[] = [
  ClaimDecisionKind.DENIED_IN_SCREENING,
  ClaimDecisionKind.REFERRED_TO_EXPERT,
  ClaimDecisionKind.FOUND_VALID_BY_EXPERT,
  ClaimDecisionKind.DENIED_BY_EXPERT,
  ClaimDecisionKind.APPEALED,
];

export function decisionInView(viewer: Viewer, kind: ClaimDecisionKind): boolean {
  return audienceOf(viewer.role) !== Audience.SELLER_SIDE || !NOT_FOR_SELLER_SIDE.includes(kind);
}

/**
 * A recovery is between the marketplace and the seller side: the customer, who keeps what it was
 * paid, does not read it (it would tell whether the seller was insured).
 */
export function recoveryInView(viewer: Viewer): boolean {
  return audienceOf(viewer.role) !== Audience.CUSTOMER;
}

/** Likewise the seller's insurer: the customer reads it only when the insurer is the one paying it. */
export function insurerInView(viewer: Viewer, acceptedPayer: Claim['acceptedPayer']): boolean {
  return audienceOf(viewer.role) !== Audience.CUSTOMER || acceptedPayer === PayerParty.INSURER;
}

/** Risk scores, signals and the review: agents, and the expert that picked the review. */
export function maySeeScreening(
  viewer: Viewer | null | undefined,
  claim: Pick<ClaimAudience, 'reviewerRef'>,
): boolean {
  if (!viewer) return false;
  return (
    viewer.role === Role.AGENT || (viewer.role === Role.FRAUD_EXPERT && claim.reviewerRef === viewer.subject)
  );
}

/**
 * Injury details and medical records are medical information: the claimant, agents, the expert
 * that picked the review, and the insurer that accepted to pay the claim (it needs the facts to
 * settle it) — nobody else.
 */
export function maySeeMedical(
  viewer: Viewer | null,
  claim: ClaimAudience,
  acceptedPayer: Claim['acceptedPayer'],
): boolean {
  if (!viewer) return false;
  switch (viewer.role) {
    case Role.AGENT:
      return true;
    case Role.CUSTOMER:
      return claim.customerRef === viewer.subject;
    case Role.FRAUD_EXPERT:
      return claim.reviewerRef === viewer.subject;
    case Role.INSURER:
      return acceptedPayer === PayerParty.INSURER && claim.insurerRef === viewer.subject;
    case Role.SELLER:
      return false;
  }
}
