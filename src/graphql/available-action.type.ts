import { Field, ObjectType } from 'type-graphql';
import { ClaimAction } from '../services/claims/claim-actions';
import { ActionBlockedReason } from '../services/claims/action-blocked-reason';

@ObjectType({ description: 'An action the viewer could take on a claim, and why not when it is disabled.' })
export class AvailableAction {
  @Field(() => ClaimAction)
  action!: ClaimAction;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => ActionBlockedReason, { nullable: true })
  reason!: ActionBlockedReason | null;
}
