import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Payout } from '../entities/payout.entity';
import { Money } from '../graphql/money.type';

@Resolver(() => Payout)
export class PayoutResolver {
  @FieldResolver(() => Money)
  amount(@Root() payout: Payout): Money {
    return Money.of(payout.amountMinor, payout.currency);
  }
}
