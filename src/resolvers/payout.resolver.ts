import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { Payout } from '../entities/payout.entity';
import { toGlobalId } from '../graphql/global-id';
import { Money } from '../graphql/money.type';

@Resolver(() => Payout)
export class PayoutResolver {
  @FieldResolver(() => ID)
  id(@Root() payout: Payout): string {
    return toGlobalId('Payout', payout.id);
  }

  @FieldResolver(() => Money)
  amount(@Root() payout: Payout): Money {
    return Money.of(payout.amountMinor, payout.currency);
  }
}
