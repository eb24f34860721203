import type { EntityManager } from '@mikro-orm/core';
import type { Claim } from '../entities/claim.entity';

export type ScreeningOutcome = { outcome: 'PASS' };

/**
 * The screening seam: every claim passes through here before the seller hears of it. Until fraud
 * and abuse detection lands, every claim passes.
 */
export class ScreeningService {
  async screen(_em: EntityManager, _claim: Claim): Promise<ScreeningOutcome> {
    return { outcome: 'PASS' };
  }
}
