import { forbidden, unauthenticated } from '../errors';
import type { Role } from './role';
import type { Authentication, Viewer } from './viewer';

/** The caller, or UNAUTHENTICATED (saying why when a token was presented but refused). */
export function requireViewer(auth: Authentication): Viewer {
  if (!auth.viewer) throw unauthenticated(auth.failure);
  return auth.viewer;
}

/** The caller when its role is one of `roles`; UNAUTHENTICATED or FORBIDDEN otherwise. */
export function requireRole(auth: Authentication, ...roles: Role[]): Viewer {
  const viewer = requireViewer(auth);
  if (!roles.includes(viewer.role)) throw forbidden();
  return viewer;
}
