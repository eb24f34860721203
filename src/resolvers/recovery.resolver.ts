import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { Recovery } from '../entities/recovery.entity';
import { toGlobalId } from '../graphql/global-id';
import { Money } from '../graphql/money.type';

@Resolver(() => Recovery)
export class RecoveryResolver {
  @FieldResolver(() => ID)
  id(@Root() recovery: Recovery): string {
    return toGlobalId('Recovery', recovery.id);
  }

  @FieldResolver(() => Money)
  amount(@Root() recovery: Recovery): Money {
    return Money.of(recovery.amountMinor, recovery.currency);
  }
}
