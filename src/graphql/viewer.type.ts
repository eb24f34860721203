import { Field, ObjectType } from 'type-graphql';
import { Role } from '../auth/role';

@ObjectType({ description: 'Who the caller is, as its token says.' })
export class ViewerInfo {
  @Field(() => Role)
  role!: Role;

  @Field(() => String, { description: "The token's `sub`: the principal's marketplace identifier." })
  subject!: string;
}
