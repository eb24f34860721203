import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ClaimConnection } from '../graphql/claim-connection.type';

@Resolver(() => ClaimConnection)
export class ClaimConnectionResolver {
  @FieldResolver(() => Int, { description: 'All claims matching the filter, across every page.' })
  totalCount(@Root() connection: ClaimConnection): Promise<number> {
    return connection.page.count();
  }
}
