import { ClaimConnectionResolver } from './claim-connection.resolver';
import { ClaimEventResolver } from './claim-event.resolver';
import { ClaimEvidenceResolver } from './claim-evidence.resolver';
import { ClaimResolver } from './claim.resolver';
import { CustomerResolver } from './customer.resolver';
import { NodeResolver } from './node.resolver';
import { OrderResolver } from './order.resolver';
import { ProductResolver } from './product.resolver';
import { SellerResolver } from './seller.resolver';
import { ViewerResolver } from './viewer.resolver';

export const RESOLVERS = [
  ViewerResolver,
  NodeResolver,
  ClaimResolver,
  ClaimConnectionResolver,
  ClaimEventResolver,
  ClaimEvidenceResolver,
  CustomerResolver,
  SellerResolver,
  ProductResolver,
  OrderResolver,
] as const;
