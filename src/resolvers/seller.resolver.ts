import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { Seller } from '../entities/seller.entity';
import { UpsertSellerInput } from '../graphql/reference-data-inputs';
import { UpsertSellerPayload } from '../graphql/reference-data-payloads';
import type { RequestContext } from '../server/request-context';

@Resolver(() => Seller)
export class SellerResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => UpsertSellerPayload, {
    description: 'Creates or updates a seller by its external reference.',
  })
  upsertSeller(@Arg('input', () => UpsertSellerInput) input: UpsertSellerInput, @Ctx() ctx: RequestContext) {
    return ctx.services.referenceData.upsertSeller(ctx, input);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Only for the seller itself and agents.' })
  contactEmail(@Root() seller: Seller, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.referenceAccess.canSeeContactDetails(ctx, seller, Role.SELLER)
      ? seller.contactEmail
      : null;
  }
}
