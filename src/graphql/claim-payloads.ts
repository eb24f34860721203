import { Field, ObjectType } from 'type-graphql';
import { Claim } from '../entities/claim.entity';
import { UserError } from './user-error.type';

@ObjectType()
export class FileClaimPayload {
  @Field(() => Claim, { nullable: true })
  claim!: Claim | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class AddClaimEvidencePayload {
  @Field(() => Claim, { nullable: true })
  claim!: Claim | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
