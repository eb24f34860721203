import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Recovery } from '../entities/recovery.entity';
import { Money } from '../graphql/money.type';

@Resolver(() => Recovery)
export class RecoveryResolver {
  @FieldResolver(() => Money)
  amount(@Root() recovery: Recovery): Money {
    return Money.of(recovery.amountMinor, recovery.currency);
  }
}
