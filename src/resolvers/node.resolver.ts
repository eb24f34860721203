import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { decodeGlobalId, type NodeType, toGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node.interface';
import type { RequestContext } from '../server/request-context';

/** `node(id:)`, and the global `id` of every type implementing Node: one resolver for all of them. */
@Resolver(() => Node)
export class NodeResolver {
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by global id; null when unknown or not visible.',
  })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.nodes.find(ctx, decodeGlobalId(id));
  }

  /** The object's type (the GraphQL type being resolved) and its database id. */
  @FieldResolver(() => ID)
  id(@Root() node: { id: number | string }, @Info() info: GraphQLResolveInfo): string {
    return toGlobalId(info.parentType.name as NodeType, node.id);
  }
}
