import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import { ClaimEventType } from '../../entities/claim-event-type';
import { ClaimStatus } from '../../entities/claim-status';
import { PayerParty } from '../../entities/money-party';
import { NotificationCategory } from '../../entities/notification-category';
import { appealDeadlineOf } from '../claims/claim-state-machine';
import { eventAsRead, mayReceive } from '../claims/claim-visibility';
import type { DeliveredEvent } from '../events/delivered-event';
import type { NotificationDraft } from './notification-draft';

/**
 * What the notices read of a claim beyond its events: only what is written once and never
 * changes, since a notice may be made long after its event.
 */
export interface ClaimNoticeFacts {
  number: string;
  respondBy: Date | null;
  acceptedPayer: PayerParty | null;
  /** Positions of the claim's appeals, to tell a first denial from a final one. */
  appealPositions: string[];
}

type Party = 'CUSTOMER' | 'SELLER' | 'INSURER' | 'AGENTS';

interface Notice {
  /** Which events it is for. */
  on: (event: DeliveredEvent, claim: ClaimNoticeFacts) => boolean;
  to: Party[];
  category: NotificationCategory;
  title: (claim: ClaimNoticeFacts) => string;
  /** What the recipient must know beyond the event's own words. */
  more?: (claim: ClaimNoticeFacts, event: DeliveredEvent, appealWindowDays: number) => string | null;
}

const statusTo =
  (...statuses: ClaimStatus[]) =>
  (event: DeliveredEvent) =>
    event.type === ClaimEventType.STATUS_CHANGED && statuses.includes(event.toStatus!);
const ofType = (type: ClaimEventType) => (event: DeliveredEvent) => event.type === type;

/**
 * Every step the product tells a party of, once: which events, to whom, under which category and
 * title. The body is the event in the words written for the recipient (claim-visibility.ts), and
 * a recipient is told only of events it may see, so a notice never says more than its stream.
 */
const NOTICES: Notice[] = [
  {
    on: ofType(ClaimEventType.CLAIM_FILED),
    to: ['CUSTOMER'],
    category: NotificationCategory.CLAIM_RECEIVED,
    title: (claim) => `Claim ${claim.number} received`,
    more: () => 'The marketplace screens it first; you are told of every step.',
  },
  {
    on: statusTo(
      ClaimStatus.EXPERT_REVIEW,
      ClaimStatus.APPROVED_CONCESSION,
      ClaimStatus.AWAITING_SELLER,
      ClaimStatus.SELLER_ACCEPTED,
      ClaimStatus.MARKETPLACE_REVIEW,
      ClaimStatus.STEPPED_IN,
    ),
    to: ['CUSTOMER'],
    category: NotificationCategory.CLAIM_DECISION,
    title: (claim) => `Claim ${claim.number}: next step`,
  },
  {
    on: statusTo(ClaimStatus.DENIED),
    to: ['CUSTOMER'],
    category: NotificationCategory.CLAIM_DECISION,
    title: (claim) => `Claim ${claim.number} denied`,
    // The claim was denied when the event occurred; appealed before it, the denial is final.
    more: (claim, event, appealWindowDays) =>
      claim.appealPositions.some((position) => Number(position) < Number(event.position))
        ? null
        : `You may appeal with new evidence until ${appealDeadlineOf({ deniedAt: event.occurredAt }, appealWindowDays)!.toISOString()}.`,
  },
  {
    on: ofType(ClaimEventType.PAYOUT_COMPLETED),
    to: ['CUSTOMER'],
    category: NotificationCategory.PAYOUT,
    title: (claim) => `Claim ${claim.number}: you were paid`,
  },
  {
    on: ofType(ClaimEventType.SELLER_NOTIFIED),
    to: ['SELLER'],
    category: NotificationCategory.CLAIM_NOTICE,
    title: (claim) =>
      claim.respondBy
        ? `Claim ${claim.number} needs your response by ${claim.respondBy.toISOString()}`
        : `Claim ${claim.number}`,
  },
  {
    on: ofType(ClaimEventType.INSURER_NOTIFIED),
    to: ['INSURER'],
    category: NotificationCategory.CLAIM_NOTICE,
    title: (claim) =>
      `Claim ${claim.number} on a seller you insure${claim.respondBy ? `: response due by ${claim.respondBy.toISOString()}` : ''}`,
  },
  {
    on: ofType(ClaimEventType.RESPONSE_REMINDER),
    to: ['SELLER', 'INSURER'],
    category: NotificationCategory.RESPONSE_REMINDER,
    title: (claim) => `Reminder: claim ${claim.number} needs a response`,
  },
  {
    on: statusTo(ClaimStatus.STEPPED_IN),
    to: ['SELLER', 'INSURER'],
    category: NotificationCategory.STEPPED_IN,
    title: (claim) => `Claim ${claim.number}: the marketplace stepped in`,
  },
  {
    on: (event, claim) =>
      event.type === ClaimEventType.PAYOUT_PROMISED && claim.acceptedPayer === PayerParty.INSURER,
    to: ['INSURER'],
    category: NotificationCategory.PAYMENT_REQUESTED,
    title: (claim) => `Claim ${claim.number}: the customer awaits your payment`,
    more: () => 'Confirm it with recordClaimPayment once paid.',
  },
  {
    on: (event) =>
      [
        ClaimEventType.RECOVERY_OPENED,
        ClaimEventType.RECOVERY_CANCELLED,
        ClaimEventType.RECOVERY_COLLECTED,
      ].includes(event.type),
    to: ['SELLER', 'INSURER'],
    category: NotificationCategory.RECOVERY,
    title: (claim) => `Claim ${claim.number}: recovery`,
  },
  {
    on: ofType(ClaimEventType.DEFENCE_DECIDED),
    to: ['SELLER', 'INSURER'],
    category: NotificationCategory.DEFENCE_OUTCOME,
    title: (claim) => `Claim ${claim.number}: your defence was decided`,
  },
  {
    on: statusTo(ClaimStatus.MARKETPLACE_REVIEW),
    to: ['AGENTS'],
    category: NotificationCategory.REVIEW_WAITING,
    title: (claim) => `Claim ${claim.number} waits for a review`,
  },
  {
    on: ofType(ClaimEventType.DEFENCE_SUBMITTED),
    to: ['AGENTS'],
    category: NotificationCategory.DECISION_WAITING,
    title: (claim) => `Claim ${claim.number}: a defence waits for a decision`,
  },
];

/** The principal each party of the claim is, if the claim has one. */
function viewerOf(party: Party, event: DeliveredEvent): Viewer | null {
  const { audience } = event;
  switch (party) {
    case 'CUSTOMER':
      return { role: Role.CUSTOMER, subject: audience.customerRef };
    case 'SELLER':
      return { role: Role.SELLER, subject: audience.sellerRef };
    case 'INSURER':
      return audience.insurerRef ? { role: Role.INSURER, subject: audience.insurerRef } : null;
    case 'AGENTS':
      // The whole team: agents see everything, whoever of them reads it.
      return { role: Role.AGENT, subject: '' };
  }
}

/** What the parties of a claim are told of one of its events. */
export function noticesOf(
  event: DeliveredEvent,
  claim: ClaimNoticeFacts,
  appealWindowDays: number,
): NotificationDraft[] {
  const drafts: NotificationDraft[] = [];
  for (const notice of NOTICES) {
    if (!notice.on(event, claim)) continue;
    for (const party of notice.to) {
      const viewer = viewerOf(party, event);
      if (!viewer || !mayReceive(viewer, event.audience, event.sequence)) continue;
      const words = eventAsRead(viewer, event.audience, event).message;
      const more = notice.more?.(claim, event, appealWindowDays);
      const subject = party === 'AGENTS' ? null : viewer.subject;
      drafts.push({
        recipient: { role: viewer.role, subject },
        category: notice.category,
        claimId: event.claimId,
        title: notice.title(claim),
        body: more ? `${words} ${more}` : words,
        sourceKey: `claim-event:${event.position}:${notice.category}:${viewer.role}:${subject ?? '*'}`,
      });
    }
  }
  return drafts;
}
