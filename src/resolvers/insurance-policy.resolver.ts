import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { InsurancePolicy } from '../entities/insurance-policy.entity';
import { InsuranceProvider } from '../entities/insurance-provider.entity';
import { Seller } from '../entities/seller.entity';
import { toGlobalId } from '../graphql/global-id';
import { UserError } from '../graphql/user-error.type';
import type { RequestContext } from '../server/request-context';

@InputType()
export class RecordInsurancePolicyInput {
  @Field(() => String)
  sellerRef!: string;

  @Field(() => String, { description: "The insurer's reference; insurer tokens carry it as `sub`." })
  providerRef!: string;

  @Field(() => String)
  providerName!: string;

  @Field(() => String)
  policyNumber!: string;

  @Field(() => GraphQLLocalDate)
  effectiveFrom!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day of cover, inclusive.' })
  effectiveTo!: string;
}

@ObjectType()
export class RecordInsurancePolicyPayload {
  @Field(() => InsurancePolicy, { nullable: true })
  policy!: InsurancePolicy | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => InsurancePolicy)
export class InsurancePolicyResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => RecordInsurancePolicyPayload, { description: "Records a seller's verified policy; idempotent by insurer and policy number." })
  recordInsurancePolicy(@Arg('input', () => RecordInsurancePolicyInput) input: RecordInsurancePolicyInput, @Ctx() ctx: RequestContext) {
    return ctx.services.insurancePolicies.record(ctx, input);
  }

  @FieldResolver(() => ID)
  id(@Root() policy: InsurancePolicy): string {
    return toGlobalId('InsurancePolicy', policy.id);
  }

  @FieldResolver(() => InsuranceProvider)
  provider(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.insurer.load(policy.provider.id);
  }

  @FieldResolver(() => Seller)
  seller(@Root() policy: InsurancePolicy, @Ctx() ctx: RequestContext) {
    return ctx.loaders.seller.load(policy.seller.id);
  }
}

@Resolver(() => InsuranceProvider)
export class InsuranceProviderResolver {
  @FieldResolver(() => ID)
  id(@Root() provider: InsuranceProvider): string {
    return toGlobalId('InsuranceProvider', provider.id);
  }
}
