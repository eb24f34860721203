import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { ClaimAction, rolesOf } from '../services/claims/claim-actions';
import {
  AppealClaimPayload,
  DecideProductDefencePayload,
  RecordClaimPaymentPayload,
  RecordRecoveryPaymentPayload,
  RespondToClaimPayload,
  ReviewClaimPayload,
  SubmitProductDefencePayload,
  WithdrawClaimPayload,
} from '../graphql/claim-payloads';
import {
  AppealClaimInput,
  DecideProductDefenceInput,
  RecordClaimPaymentInput,
  RecordRecoveryPaymentInput,
  RespondToClaimInput,
  ReviewClaimInput,
  SubmitProductDefenceInput,
  WithdrawClaimInput,
} from '../graphql/claim-workflow-inputs';
import { idOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';

@Resolver()
export class ClaimWorkflowResolver {
  @Authorized(...rolesOf(ClaimAction.ACCEPT, ClaimAction.REJECT))
  @Mutation(() => RespondToClaimPayload, {
    description:
      'The seller or its insurer accepts (naming the payer) or rejects a claim before the deadline.',
  })
  respondToClaim(
    @Arg('input', () => RespondToClaimInput) input: RespondToClaimInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.respond(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.RECORD_PAYMENT))
  @Mutation(() => RecordClaimPaymentPayload, {
    description: 'The payer that accepted the claim confirms it paid the customer.',
  })
  recordClaimPayment(
    @Arg('input', () => RecordClaimPaymentInput) input: RecordClaimPaymentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.recordPayment(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.STEP_IN, ClaimAction.UPHOLD_REJECTION))
  @Mutation(() => ReviewClaimPayload, {
    description: 'After a rejection or an appeal: step in and pay, or uphold the rejection.',
  })
  reviewClaim(@Arg('input', () => ReviewClaimInput) input: ReviewClaimInput, @Ctx() ctx: RequestContext) {
    return ctx.services.claimWorkflow.review(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.WITHDRAW))
  @Mutation(() => WithdrawClaimPayload, {
    description: 'The customer withdraws a claim that was not paid yet.',
  })
  withdrawClaim(
    @Arg('input', () => WithdrawClaimInput) input: WithdrawClaimInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.withdraw(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.APPEAL))
  @Mutation(() => AppealClaimPayload, {
    description: 'Appeals a denial with new evidence, once, within the appeal window.',
  })
  appealClaim(@Arg('input', () => AppealClaimInput) input: AppealClaimInput, @Ctx() ctx: RequestContext) {
    return ctx.services.claimWorkflow.appeal(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.SUBMIT_DEFENCE))
  @Mutation(() => SubmitProductDefencePayload, {
    description: 'After the marketplace paid: evidence that the product was not defective.',
  })
  submitProductDefence(
    @Arg('input', () => SubmitProductDefenceInput) input: SubmitProductDefenceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.submitDefence(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.DECIDE_DEFENCE))
  @Mutation(() => DecideProductDefencePayload, {
    description: 'Upholding a defence drops the recovery; the customer keeps the payout.',
  })
  decideProductDefence(
    @Arg('input', () => DecideProductDefenceInput) input: DecideProductDefenceInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.decideDefence(ctx, { ...input, claimId: idOf(input.claimId, 'Claim') });
  }

  @Authorized(...rolesOf(ClaimAction.RECORD_RECOVERY_PAYMENT))
  @Mutation(() => RecordRecoveryPaymentPayload, {
    description: 'Records that the seller or its insurer repaid the marketplace.',
  })
  recordRecoveryPayment(
    @Arg('input', () => RecordRecoveryPaymentInput) input: RecordRecoveryPaymentInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.claimWorkflow.recordRecoveryPayment(ctx, {
      ...input,
      claimId: idOf(input.claimId, 'Claim'),
    });
  }
}
