import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role';
import { Claim } from '../entities/claim.entity';
import { SensitiveDataAccess } from '../entities/sensitive-data-access.entity';
import { connectionComplexity } from '../graphql/complexity';
import { SensitiveDataAccessConnection } from '../graphql/sensitive-data-access-connections';
import { optionalIdOf } from '../graphql/global-id';
import type { RequestContext } from '../server/request-context';

@Resolver(() => SensitiveDataAccess)
export class SensitiveDataAccessResolver {
  @Authorized(Role.AGENT)
  @Query(() => SensitiveDataAccessConnection, {
    complexity: connectionComplexity,
    description: 'Every read of injury details and medical records by anyone but the claimant, newest first.',
  })
  async sensitiveDataAccesses(
    @Arg('first', () => Int, { description: '1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('claimId', () => ID, { nullable: true }) claimId: string | null,
    @Arg('viewerSubject', () => String, { nullable: true }) viewerSubject: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SensitiveDataAccessConnection> {
    return SensitiveDataAccessConnection.of(
      await ctx.services.sensitiveDataAudit.list(ctx, {
        first,
        after,
        claimId: optionalIdOf(claimId, 'Claim'),
        viewerSubject,
      }),
    );
  }

  @FieldResolver(() => Claim)
  async claim(@Root() access: SensitiveDataAccess, @Ctx() ctx: RequestContext): Promise<Claim> {
    return (await ctx.loaders.claim.load(access.claim.id))!;
  }
}
