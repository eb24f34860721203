import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { ClaimParty } from '../services/claims/next-step';

@ObjectType({ description: 'What happens next on a claim, whose move it is, and by when.' })
export class NextStep {
  @Field(() => String)
  summary!: string;

  @Field(() => ClaimParty, { nullable: true, description: 'Null when nobody has to act.' })
  party!: ClaimParty | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Absolute deadline, when one applies.' })
  deadline!: Date | null;
}
