import type { Claim } from '../../entities/claim.entity';
import type { UserError } from '../common/user-error';

/** What a claim mutation answers: the claim it changed, or why it refused. */
export type ClaimResult = { claim: Claim; userErrors: [] } | { claim: null; userErrors: UserError[] };
