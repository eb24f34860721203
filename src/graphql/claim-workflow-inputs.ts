import { Field, ID, InputType } from 'type-graphql';
import { PayerParty } from '../entities/money-party';
import { DefenceDecision, ReviewDecision, SellerResponse } from '../services/claims/claim-workflow.service';
import { EvidenceInput } from './claim-inputs';

@InputType()
export class RespondToClaimInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => SellerResponse)
  response!: SellerResponse;

  @Field(() => PayerParty, {
    nullable: true,
    description: 'On ACCEPT: SELLER or INSURER; defaults to the responder.',
  })
  payer?: PayerParty | null;

  @Field(() => String, {
    nullable: true,
    description: 'Required on REJECT: the defence statement; up to 5,000 characters.',
  })
  statement?: string | null;

  @Field(() => [EvidenceInput], { nullable: true })
  evidence?: EvidenceInput[] | null;
}

@InputType()
export class RecordClaimPaymentInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => String, { description: "The payer's payment reference; up to 200 characters." })
  reference!: string;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class ReviewClaimInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => ReviewDecision)
  decision!: ReviewDecision;

  @Field(() => String, { description: 'Why; recorded with the decision and shown to the parties.' })
  reason!: string;

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType()
export class WithdrawClaimInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class AppealClaimInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => String, { description: 'Why the denial is wrong; up to 5,000 characters.' })
  statement!: string;

  @Field(() => [EvidenceInput], { description: 'At least one item not already on the claim.' })
  evidence!: EvidenceInput[];
}

@InputType()
export class SubmitProductDefenceInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => String, { description: 'Why the product was not defective; up to 5,000 characters.' })
  statement!: string;

  @Field(() => [EvidenceInput], { nullable: true })
  evidence?: EvidenceInput[] | null;
}

@InputType()
export class DecideProductDefenceInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => DefenceDecision)
  decision!: DefenceDecision;

  @Field(() => String)
  reason!: string;
}

@InputType()
export class RecordRecoveryPaymentInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => String)
  reference!: string;

  @Field(() => String)
  idempotencyKey!: string;
}
