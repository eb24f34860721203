import { Ctx, Query, Resolver } from 'type-graphql';
import { requireViewer } from '../auth/require-viewer';
import { ViewerInfo } from '../graphql/viewer.type';
import type { RequestContext } from '../server/request-context';

@Resolver()
export class ViewerResolver {
  @Query(() => ViewerInfo, {
    nullable: true,
    description: 'The caller; null without a token. A refused token is UNAUTHENTICATED, not anonymous.',
  })
  viewer(@Ctx() ctx: RequestContext): ViewerInfo | null {
    if (!ctx.auth.viewer && !ctx.auth.failure) return null;
    return requireViewer(ctx.auth);
  }
}
