import { type ClassType, Field, ObjectType } from 'type-graphql';
import { UserError } from './user-error.type';

/** What a mutation answers: the object it wrote (null when refused) under `field`, and its userErrors. */
export type Payload<F extends string, T> = { [K in F]: T | null } & { userErrors: UserError[] };

/** A nullable String field a payload carries besides its object, e.g. a secret shown only once. */
export interface PayloadText<S extends string> {
  field: S;
  description: string;
}

/**
 * A mutation payload type, e.g. `PayloadType('FileClaimPayload', 'claim', () => Claim)` for
 * `FileClaimPayload { claim: Claim, userErrors: [UserError!]! }`; `text` adds a nullable String
 * field beside the object.
 */
export function PayloadType<F extends string, T extends object, S extends string = never>(
  name: string,
  field: F,
  type: () => ClassType<T>,
  description?: string,
  text?: PayloadText<S>,
): ClassType<Payload<F, T> & { [K in S]: string | null }> {
  @ObjectType(name)
  class MutationPayload {
    @Field(() => [UserError])
    userErrors!: UserError[];
  }
  Field(type, { nullable: true, description })(MutationPayload.prototype, field);
  if (text)
    Field(() => String, { nullable: true, description: text.description })(
      MutationPayload.prototype,
      text.field,
    );
  return MutationPayload as unknown as ClassType<Payload<F, T> & { [K in S]: string | null }>;
}
