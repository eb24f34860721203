import { Role } from '../../auth/role';
import type { Viewer } from '../../auth/viewer';
import type { ClaimParties } from './delivered-event';

/**
 * The claim scoping rules of ClaimAccessService, applied in memory to live events (the replay
 * reads through ClaimAccessService itself): customers their own claims, sellers released claims
 * against them, insurers released claims on sellers they insure, agents all.
 */
export function mayReceive(viewer: Viewer, parties: ClaimParties): boolean {
  switch (viewer.role) {
    case Role.AGENT:
      return true;
    case Role.CUSTOMER:
      return parties.customerRef === viewer.subject;
    case Role.SELLER:
      return parties.released && parties.sellerRef === viewer.subject;
    case Role.INSURER:
      return parties.released && parties.insurerRefs.includes(viewer.subject);
    case Role.FRAUD_EXPERT:
      return false;
  }
}
