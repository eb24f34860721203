import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { ClaimEvidence } from '../entities/claim-evidence.entity';
import { toGlobalId } from '../graphql/global-id';

@Resolver(() => ClaimEvidence)
export class ClaimEvidenceResolver {
  @FieldResolver(() => ID)
  id(@Root() evidence: ClaimEvidence): string {
    return toGlobalId('ClaimEvidence', evidence.id);
  }
}
