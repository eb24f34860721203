import { GraphQLDateTime } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { MoneyInput } from './money.type';

@InputType()
export class UpsertCustomerInput {
  @Field(() => String, { description: "The marketplace's identifier; customer tokens carry it as `sub`." })
  externalRef!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  email!: string;
}

@InputType()
export class UpsertSellerInput {
  @Field(() => String, { description: "The marketplace's identifier; seller tokens carry it as `sub`." })
  externalRef!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  contactEmail!: string;
}

@InputType()
export class UpsertProductInput {
  @Field(() => String)
  externalRef!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  category!: string;

  @Field(() => MoneyInput)
  price!: MoneyInput;
}

@InputType()
export class RecordOrderInput {
  @Field(() => String)
  externalRef!: string;

  @Field(() => String)
  customerRef!: string;

  @Field(() => String)
  sellerRef!: string;

  @Field(() => String)
  productRef!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => MoneyInput, { description: 'What the customer paid for the whole line.' })
  price!: MoneyInput;

  @Field(() => GraphQLDateTime)
  purchasedAt!: Date;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'May be reported later by recording the order again.',
  })
  deliveredAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Where the order was delivered, up to 500 characters. Only a fingerprint is kept, to match orders delivered to the same address.',
  })
  deliveryAddress?: string | null;
}
