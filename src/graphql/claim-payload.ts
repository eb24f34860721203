import { type ClassType, Field, ObjectType } from 'type-graphql';
import { Claim } from '../entities/claim.entity';
import { UserError } from './user-error.type';

/** A mutation payload carrying the claim it changed, e.g. `RespondToClaimPayload`. */
export function ClaimPayload(name: string): ClassType<{ claim: Claim | null; userErrors: UserError[] }> {
  @ObjectType(name)
  class Payload {
    @Field(() => Claim, { nullable: true })
    claim!: Claim | null;

    @Field(() => [UserError])
    userErrors!: UserError[];
  }
  return Payload;
}
