import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { ClaimKind } from '../entities/claim-kind';
import { ClaimStatus } from '../entities/claim-status';
import { EvidenceKind } from '../entities/evidence-kind';
import { ClaimSortField } from '../services/claims/claim-query.service';
import { SortDirection } from './enums';
import { MoneyInput } from './money.type';

@InputType()
export class EvidenceInput {
  @Field(() => EvidenceKind)
  kind!: EvidenceKind;

  @Field(() => String, { description: 'What the evidence shows; 1–1,000 characters.' })
  description!: string;

  @Field(() => String, { description: '"sha256:" followed by the 64 lowercase hex digits of the content.' })
  contentHash!: string;

  @Field(() => String, { description: 'Where the content is held: an https URL, up to 2,048 characters.' })
  uri!: string;
}

@InputType({
  description: 'Medical information of a personal-injury claim. Sensitive: never shown to sellers.',
})
export class InjuryDetailsInput {
  @Field(() => String, { description: 'The injuries; 1–5,000 characters.' })
  description!: string;

  @Field(() => Boolean)
  medicallyTreated!: boolean;

  @Field(() => String, { nullable: true, description: 'Treatment received; up to 5,000 characters.' })
  treatmentDetails?: string | null;
}

@InputType()
export class FileClaimInput {
  @Field(() => ID, { description: 'The order the defective product was bought in.' })
  orderId!: string;

  @Field(() => [ClaimKind], { description: 'PROPERTY_DAMAGE, PERSONAL_INJURY, or both.' })
  kinds!: ClaimKind[];

  @Field(() => GraphQLLocalDate, {
    description: 'Day of the incident; not before the purchase, not in the future.',
  })
  incidentDate!: string;

  @Field(() => String, { description: 'What happened; 1–5,000 characters.' })
  description!: string;

  @Field(() => MoneyInput, { description: 'Greater than zero, at most 1,000,000.00, in the order currency.' })
  amountClaimed!: MoneyInput;

  @Field(() => [EvidenceInput], { nullable: true, description: 'Up to 20 items.' })
  evidence?: EvidenceInput[] | null;

  @Field(() => InjuryDetailsInput, {
    nullable: true,
    description: 'Required for, and only for, personal injury.',
  })
  injuryDetails?: InjuryDetailsInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The payment processor's token of the account to pay, up to 200 characters; omitted, the customer is paid back to the order's payment method.",
  })
  payoutDestination?: string | null;

  @Field(() => String, {
    description: 'Chosen by the client; a retry with the same key returns the first result.',
  })
  idempotencyKey!: string;
}

@InputType()
export class AddClaimEvidenceInput {
  @Field(() => ID)
  claimId!: string;

  @Field(() => [EvidenceInput], {
    description: 'Up to 20 items; resending an item already on the claim changes nothing.',
  })
  evidence!: EvidenceInput[];
}

@InputType()
export class ClaimFilter {
  @Field(() => [ClaimStatus], { nullable: true })
  statuses?: ClaimStatus[];

  @Field(() => ClaimKind, { nullable: true, description: 'Claims that cover this kind.' })
  kind?: ClaimKind;

  @Field(() => ID, { nullable: true })
  sellerId?: string;

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Filed at or after this time.' })
  filedFrom?: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Filed before this time.' })
  filedBefore?: Date;
}

@InputType()
export class ClaimOrder {
  @Field(() => ClaimSortField)
  field!: ClaimSortField;

  @Field(() => SortDirection)
  direction!: SortDirection;
}
