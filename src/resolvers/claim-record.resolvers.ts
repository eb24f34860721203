import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { ClaimDecision } from '../entities/claim-decision.entity';
import { ProductDefence } from '../entities/product-defence.entity';
import { toGlobalId } from '../graphql/global-id';

@Resolver(() => ClaimDecision)
export class ClaimDecisionResolver {
  @FieldResolver(() => ID)
  id(@Root() decision: ClaimDecision): string {
    return toGlobalId('ClaimDecision', decision.id);
  }
}

@Resolver(() => ProductDefence)
export class ProductDefenceResolver {
  @FieldResolver(() => ID)
  id(@Root() defence: ProductDefence): string {
    return toGlobalId('ProductDefence', defence.id);
  }
}
