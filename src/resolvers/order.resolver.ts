import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { Customer } from '../entities/customer.entity';
import { Order } from '../entities/order.entity';
import { Product } from '../entities/product.entity';
import { Seller } from '../entities/seller.entity';
import { Money } from '../graphql/money.type';
import { RecordOrderInput } from '../graphql/reference-data-inputs';
import { RecordOrderPayload } from '../graphql/reference-data-payloads';
import type { RequestContext } from '../server/request-context';

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => RecordOrderPayload, {
    description: 'Records an order by its external reference; recording it again may add the delivery time.',
  })
  recordOrder(@Arg('input', () => RecordOrderInput) input: RecordOrderInput, @Ctx() ctx: RequestContext) {
    return ctx.services.referenceData.recordOrder(ctx, input);
  }

  @FieldResolver(() => Money, { description: 'What the customer paid for the whole line.' })
  price(@Root() order: Order): Money {
    return Money.of(order.priceMinor, order.currency);
  }

  @FieldResolver(() => Customer)
  customer(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.customer.load(order.customer.id);
  }

  @FieldResolver(() => Seller)
  seller(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(order.seller.id);
  }

  @FieldResolver(() => Product)
  product(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.product.load(order.product.id);
  }
}
