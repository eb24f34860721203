import type { EntityManager } from '@mikro-orm/core';
import { ActorRole, ClaimEventType } from '../../entities/claim-event-type';
import type { Claim } from '../../entities/claim.entity';
import { LedgerAccountCode } from '../../entities/ledger';
import { PayerParty } from '../../entities/money-party';
import type { Payout } from '../../entities/payout.entity';
import { Recovery, RecoveryStatus } from '../../entities/recovery.entity';
import type { EventText } from '../claims/claim-visibility';
import { appendClaimEvent } from '../claims/claim-timeline';
import type { LedgerService } from './ledger.service';
import { formatAmount } from './money';

/**
 * What the marketplace seeks back after paying a customer for a seller. An open recovery is a
 * receivable on the ledger (`claim:<id>:recovery:open`); cancelling reverses it, collecting turns
 * it into cash.
 */
export class RecoveryService {
  constructor(private readonly ledger: LedgerService) {}

  /**
   * Opens a recovery against the claim's insurer when it has one, else the seller. With
   * `awaitingProofUntil`, the seller may still prove cover: the receivable waits until then.
   */
  async open(
    em: EntityManager,
    claim: Claim,
    payout: Payout,
    at: Date,
    options: { reason: string; awaitingProofUntil?: Date },
  ): Promise<Recovery> {
    const debtor = claim.insurer ? PayerParty.INSURER : PayerParty.SELLER;
    const recovery = em.create(Recovery, {
      claim,
      payout,
      debtor,
      seller: claim.seller,
      insurer: claim.insurer ?? null,
      amountMinor: payout.amountMinor,
      currency: payout.currency,
      status: options.awaitingProofUntil ? RecoveryStatus.AWAITING_PROOF : RecoveryStatus.OPEN,
      graceEndsAt: options.awaitingProofUntil ?? null,
      reason: options.reason,
      openedAt: at,
    });
    const amount = `${formatAmount(payout.amountMinor, payout.currency)} ${payout.currency}`;
    appendClaimEvent(em, claim, {
      type: ClaimEventType.RECOVERY_OPENED,
      at,
      actorRole: ActorRole.SYSTEM,
      message: forMarketplaceAndSeller(
        options.awaitingProofUntil
          ? `The seller had no insurance on the incident date: unless it proves cover by ${options.awaitingProofUntil.toISOString()}, the marketplace recovers ${amount} from it.`
          : `The marketplace recovers ${amount} from the ${debtor === PayerParty.INSURER ? "seller's insurer" : 'seller'}.`,
      ),
    });
    if (recovery.status === RecoveryStatus.OPEN) await this.postOpen(em, claim, recovery, at);
    return recovery;
  }

  /** The grace period ended without proof of cover: the amount is now owed. */
  async activate(em: EntityManager, claim: Claim, recovery: Recovery, at: Date): Promise<void> {
    recovery.status = RecoveryStatus.OPEN;
    await this.postOpen(em, claim, recovery, at);
    appendClaimEvent(em, claim, {
      type: ClaimEventType.RECOVERY_OPENED,
      at,
      actorRole: ActorRole.SYSTEM,
      message: forMarketplaceAndSeller(
        'No proof of insurance arrived in the grace period: the recovery from the seller proceeds.',
      ),
    });
  }

  async cancel(
    em: EntityManager,
    claim: Claim,
    recovery: Recovery,
    at: Date,
    actor: ActorRole,
    message: string,
  ): Promise<void> {
    if (recovery.status === RecoveryStatus.OPEN) {
      await this.post(
        em,
        claim,
        recovery,
        'cancel',
        LedgerAccountCode.RECOVERIES,
        LedgerAccountCode.RECOVERY_RECEIVABLE,
        at,
      );
    }
    recovery.status = RecoveryStatus.CANCELLED;
    recovery.resolvedAt = at;
    appendClaimEvent(em, claim, {
      type: ClaimEventType.RECOVERY_CANCELLED,
      at,
      actorRole: actor,
      message: forMarketplaceAndSeller(message),
    });
  }

  async collect(
    em: EntityManager,
    claim: Claim,
    recovery: Recovery,
    at: Date,
    actor: ActorRole,
    reference: string,
  ): Promise<void> {
    await this.post(
      em,
      claim,
      recovery,
      'collect',
      LedgerAccountCode.CASH,
      LedgerAccountCode.RECOVERY_RECEIVABLE,
      at,
    );
    recovery.status = RecoveryStatus.RECOVERED;
    recovery.resolvedAt = at;
    appendClaimEvent(em, claim, {
      type: ClaimEventType.RECOVERY_COLLECTED,
      at,
      actorRole: actor,
      message: forMarketplaceAndSeller(
        `The marketplace recovered ${formatAmount(recovery.amountMinor, recovery.currency)} ${recovery.currency} (reference ${reference}).`,
      ),
    });
  }

  private postOpen(em: EntityManager, claim: Claim, recovery: Recovery, at: Date): Promise<unknown> {
    return this.post(
      em,
      claim,
      recovery,
      'open',
      LedgerAccountCode.RECOVERY_RECEIVABLE,
      LedgerAccountCode.RECOVERIES,
      at,
    );
  }

  /** One step of a recovery on the ledger, under the transfer id `claim:<id>:recovery:<step>`. */
  private post(
    em: EntityManager,
    claim: Claim,
    recovery: Recovery,
    step: 'open' | 'cancel' | 'collect',
    debit: LedgerAccountCode,
    credit: LedgerAccountCode,
    at: Date,
  ): Promise<unknown> {
    return this.ledger.post(em, {
      transferId: `claim:${claim.id}:recovery:${step}`,
      kind: `RECOVERY_${{ open: 'OPENED', cancel: 'CANCELLED', collect: 'COLLECTED' }[step]}`,
      claim,
      currency: recovery.currency,
      amountMinor: recovery.amountMinor,
      debit,
      credit,
      at,
    });
  }
}

/**
 * A recovery is between the marketplace and the seller side; the customer reads only that it
 * keeps what it was paid.
 */
function forMarketplaceAndSeller(text: string): EventText {
  return {
    marketplace: text,
    customer: 'The marketplace settles this payment with the seller; the customer keeps what was paid.',
  };
}
