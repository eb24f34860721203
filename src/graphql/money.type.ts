import { Field, InputType, ObjectType } from 'type-graphql';
import { formatAmount } from '../services/money/money';
import { DecimalScalar } from './decimal.scalar';

@ObjectType({ description: 'An amount of money: an exact decimal and its ISO 4217 currency.' })
export class Money {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String)
  currencyCode!: string;

  static of(minor: bigint, currency: string): Money {
    return Object.assign(new Money(), { amount: formatAmount(minor, currency), currencyCode: currency });
  }
}

@InputType({ description: 'An amount of money as the client sends it.' })
export class MoneyInput {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, {
    description: 'ISO 4217 code, e.g. "USD"; see the supported currencies in the docs.',
  })
  currencyCode!: string;
}
