import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { UserErrorCode } from '../services/common/user-error';

registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Why a mutation input was refused. Stable: clients may branch on it.',
});

@ObjectType({ description: 'An expected, fixable failure of a mutation input.' })
export class UserError {
  @Field(() => [String], {
    description: 'Path to the offending input, e.g. ["input", "amountClaimed", "amount"].',
  })
  field!: string[];

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;
}
