import type { AuthChecker } from 'type-graphql';
import { requireRole, requireViewer } from '../auth/require-viewer';
import type { Role } from '../auth/role';
import type { RequestContext } from './request-context';

/**
 * `@Authorized()` needs any authenticated caller; `@Authorized(Role.X, …)` one of those roles.
 * Failures throw UNAUTHENTICATED or FORBIDDEN with their own codes. Services check again: this is
 * the first gate, not the only one.
 */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (roles.length === 0) requireViewer(context.auth);
  else requireRole(context.auth, ...roles);
  return true;
};
