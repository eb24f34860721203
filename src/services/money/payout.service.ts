import type { EntityManager } from '@mikro-orm/core';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { ClaimDecision } from '../../entities/claim-decision.entity';
import type { Claim } from '../../entities/claim.entity';
import { LedgerAccountCode } from '../../entities/ledger';
import { PayerParty } from '../../entities/money-party';
import { Payout, PayoutStatus } from '../../entities/payout.entity';
import { appendClaimEvent } from '../claims/claim-timeline';
import type { LedgerService } from './ledger.service';
import { formatAmount } from './money';

/**
 * Payments to claimants. The marketplace's own payments post to the ledger (claims expense against
 * cash) under the transfer id `claim:<id>:payout`; sellers and insurers pay from their own money,
 * so their payouts are tracked to completion without marketplace postings.
 */
export class PayoutService {
  constructor(private readonly ledger: LedgerService) {}

  async payByMarketplace(
    em: EntityManager,
    claim: Claim,
    decision: ClaimDecision,
    at: Date,
  ): Promise<Payout> {
    const payout = em.create(Payout, {
      claim,
      decision,
      payer: PayerParty.MARKETPLACE,
      amountMinor: claim.claimedAmountMinor,
      currency: claim.currency,
      status: PayoutStatus.COMPLETED,
      reference: `claim:${claim.id}:payout`,
      createdAt: at,
      paidAt: at,
    });
    await this.ledger.post(em, {
      transferId: `claim:${claim.id}:payout`,
      kind: 'CLAIM_PAYOUT',
      claim,
      currency: claim.currency,
      amountMinor: claim.claimedAmountMinor,
      debit: LedgerAccountCode.CLAIMS_EXPENSE,
      credit: LedgerAccountCode.CASH,
      at,
    });
    appendClaimEvent(em, claim, {
      type: ClaimEventType.PAYOUT_COMPLETED,
      at,
      actorRole: ActorRole.SYSTEM,
      message: `The marketplace paid the customer ${formatAmount(claim.claimedAmountMinor, claim.currency)} ${claim.currency}.`,
    });
    return payout;
  }

  /** The seller or its insurer accepted: a payout they owe, pending until they confirm it. */
  promiseByThirdParty(
    em: EntityManager,
    claim: Claim,
    decision: ClaimDecision,
    payer: PayerParty,
    at: Date,
  ): Payout {
    appendClaimEvent(em, claim, {
      type: ClaimEventType.PAYOUT_PROMISED,
      at,
      actorRole: payer === PayerParty.INSURER ? ActorRole.INSURER : ActorRole.SELLER,
      message: `The ${payer === PayerParty.INSURER ? "seller's insurer" : 'seller'} will pay the customer.`,
    });
    return em.create(Payout, {
      claim,
      decision,
      payer,
      amountMinor: claim.claimedAmountMinor,
      currency: claim.currency,
      status: PayoutStatus.PENDING,
      createdAt: at,
      paidAt: null,
    });
  }

  confirmThirdParty(
    em: EntityManager,
    claim: Claim,
    payout: Payout,
    reference: string,
    actor: ActorRole,
    at: Date,
  ): void {
    payout.status = PayoutStatus.COMPLETED;
    payout.reference = reference;
    payout.paidAt = at;
    appendClaimEvent(em, claim, {
      type: ClaimEventType.PAYOUT_COMPLETED,
      at,
      actorRole: actor,
      message: `Payment of ${formatAmount(payout.amountMinor, payout.currency)} ${payout.currency} to the customer confirmed.`,
    });
  }
}
