import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { Customer } from '../entities/customer.entity';
import { UpsertCustomerInput } from '../graphql/reference-data-inputs';
import { UpsertCustomerPayload } from '../graphql/reference-data-payloads';
import type { RequestContext } from '../server/request-context';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => UpsertCustomerPayload, {
    description: 'Creates or updates a customer by its external reference.',
  })
  upsertCustomer(
    @Arg('input', () => UpsertCustomerInput) input: UpsertCustomerInput,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.referenceData.upsertCustomer(ctx, input);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Only for the customer itself and agents.' })
  email(@Root() customer: Customer, @Ctx() ctx: RequestContext): string | null {
    return ctx.services.referenceAccess.canSeeContactDetails(ctx, customer, Role.CUSTOMER)
      ? customer.email
      : null;
  }
}
