import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { Product } from '../entities/product.entity';
import { Money } from '../graphql/money.type';
import { UpsertProductInput } from '../graphql/reference-data-inputs';
import { UpsertProductPayload } from '../graphql/reference-data-payloads';
import type { RequestContext } from '../server/request-context';

@Resolver(() => Product)
export class ProductResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => UpsertProductPayload, {
    description: 'Creates or updates a product by its external reference.',
  })
  upsertProduct(
    @Arg('input', () => UpsertProductInput) input: UpsertProductInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.referenceData.upsertProduct(ctx, input);
  }

  @FieldResolver(() => Money)
  price(@Root() product: Product): Money {
    return Money.of(product.priceMinor, product.currency);
  }
}
