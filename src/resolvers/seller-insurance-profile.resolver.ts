import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { SellerInsuranceProfile } from '../entities/seller-insurance-profile.entity';
import { Seller } from '../entities/seller.entity';
import { UpdateSellerInsuranceProfileInput } from '../graphql/insurance-quote-inputs';
import { Money } from '../graphql/money.type';
import { SellerClaimsHistory } from '../graphql/quoted-profile.type';
import { UpdateSellerInsuranceProfilePayload } from '../graphql/insurance-payloads';
import { optionalIdOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';
import type { ClaimsHistory } from '../services/insurance/seller-insurance-profile.service';

@Resolver(() => SellerInsuranceProfile)
export class SellerInsuranceProfileResolver {
  @Authorized(Role.SELLER, Role.AGENT)
  @Query(() => SellerInsuranceProfile, {
    nullable: true,
    description: "A seller's insurance profile: its own for a seller; agents name the seller.",
  })
  sellerInsuranceProfile(
    @Arg('sellerId', () => ID, { nullable: true }) sellerId: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.sellerProfiles.find(ctx, optionalIdOf(sellerId, 'Seller'));
  }

  @Authorized(Role.SELLER, Role.AGENT)
  @Mutation(() => UpdateSellerInsuranceProfilePayload, {
    description: 'Creates or replaces the business facts insurers quote on.',
  })
  updateSellerInsuranceProfile(
    @Arg('input', () => UpdateSellerInsuranceProfileInput) input: UpdateSellerInsuranceProfileInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.sellerProfiles.update(ctx, {
      ...input,
      sellerId: optionalIdOf(input.sellerId, 'Seller'),
    });
  }

  @FieldResolver(() => Seller)
  seller(@Root() profile: SellerInsuranceProfile, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(profile.seller.id);
  }

  @FieldResolver(() => Money)
  annualRevenue(@Root() profile: SellerInsuranceProfile): Money {
    return Money.of(profile.annualRevenueMinor, profile.currency);
  }

  @FieldResolver(() => SellerClaimsHistory, {
    description: "The seller's claims of the last three years, read from claimgraph's claims.",
  })
  claimsHistory(@Root() profile: SellerInsuranceProfile, @Ctx() ctx: RequestContext): Promise<ClaimsHistory> {
    return ctx.services.sellerProfiles.claimsHistory(ctx.em, profile.seller, ctx.services.clock.now());
  }
}
