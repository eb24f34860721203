import type { Claim } from '../../entities/claim.entity';

/** The number customers and staff quote: CLM-<year filed>-<id, at least six digits>. */
export function claimNumberOf(claim: Pick<Claim, 'id' | 'filedAt'>): string {
  return `CLM-${claim.filedAt.getUTCFullYear()}-${String(claim.id).padStart(6, '0')}`;
}
