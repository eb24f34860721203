import { type ClassType, Field, ObjectType } from 'type-graphql';
import { UserError } from './user-error.type';

/** What a mutation answers: the object it wrote (null when refused) under `field`, and its userErrors. */
export type Payload<F extends string, T> = { [K in F]: T | null } & { userErrors: UserError[] };

/**
 * A mutation payload type, e.g. `PayloadType('FileClaimPayload', 'claim', () => Claim)` for
 * `FileClaimPayload { claim: Claim, userErrors: [UserError!]! }`.
 */
export function PayloadType<F extends string, T extends object>(
  name: string,
  field: F,
  type: () => ClassType<T>,
  description?: string,
): ClassType<Payload<F, T>> {
  @ObjectType(name)
  class MutationPayload {
    @Field(() => [UserError])
    userErrors!: UserError[];
  }
  Field(type, { nullable: true, description })(MutationPayload.prototype, field);
  return MutationPayload as unknown as ClassType<Payload<F, T>>;
}
