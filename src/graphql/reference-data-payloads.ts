import { Field, ObjectType } from 'type-graphql';
import { Customer } from '../entities/customer.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { Seller } from '../entities/seller.entity';
import { UserError } from './user-error.type';

@ObjectType()
export class UpsertCustomerPayload {
  @Field(() => Customer, { nullable: true })
  customer!: Customer | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UpsertSellerPayload {
  @Field(() => Seller, { nullable: true })
  seller!: Seller | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UpsertProductPayload {
  @Field(() => Product, { nullable: true })
  product!: Product | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RecordOrderPayload {
  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
