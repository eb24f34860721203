import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Node } from '../graphql/node.interface';
import type { RequestContext } from '../server/request-context';

@Resolver()
export class NodeResolver {
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by global id; null when unknown or not visible.',
  })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.nodes.find(ctx, id);
  }
}
