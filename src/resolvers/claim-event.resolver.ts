import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { ClaimEvent } from '../entities/claim-event.entity';
import { toGlobalId } from '../graphql/global-id';

@Resolver(() => ClaimEvent)
export class ClaimEventResolver {
  @FieldResolver(() => ID)
  id(@Root() event: ClaimEvent): string {
    return toGlobalId('ClaimEvent', event.id);
  }
}
