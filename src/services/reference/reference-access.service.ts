import { requireViewer } from '../../auth/require-viewer';
import { Role } from '../../auth/role';
import type { Customer } from '../../entities/customer.entity';
import type { Order } from '../../entities/order.entity';
import type { Seller } from '../../entities/seller.entity';
import type { RequestContext } from '../../server/request-context';

/**
 * Who may see reference data on its own (through `node`): products and sellers' names are public
 * to every authenticated caller; an order only to its customer, its seller and agents; contact
 * details only to their owner and agents. Reached through a visible claim, the claim's order,
 * product, seller and customer are shown with it.
 */
export class ReferenceAccessService {
  async canSeeOrder(ctx: RequestContext, order: Order): Promise<boolean> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.role === Role.AGENT) return true;
    if (viewer.role === Role.CUSTOMER) {
      return (await ctx.loaders.customer.load(order.customer.id))?.externalRef === viewer.subject;
    }
    if (viewer.role === Role.SELLER) {
      return (await ctx.loaders.seller.load(order.seller.id))?.externalRef === viewer.subject;
    }
    return false;
  }

  canSeeContactDetails(
    ctx: RequestContext,
    party: Customer | Seller,
    role: Role.CUSTOMER | Role.SELLER,
  ): boolean {
    const viewer = ctx.auth.viewer;
    if (!viewer) return false;
    return viewer.role === Role.AGENT || (viewer.role === role && viewer.subject === party.externalRef);
  }
}
