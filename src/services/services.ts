import type { Config } from '../config';
import { ClaimAccessService } from './claim-access.service';
import { ClaimFilingService } from './claim-filing.service';
import { ClaimQueryService } from './claim-query.service';
import type { Clock } from './clock';
import { IdempotencyService } from './idempotency.service';
import { NodeService } from './node.service';
import { ReferenceAccessService } from './reference-access.service';
import { ReferenceDataService } from './reference-data.service';

/** The stateless services, built once per server; each method takes the request context first. */
export class Services {
  readonly claimAccess: ClaimAccessService;
  readonly claimQueries: ClaimQueryService;
  readonly claimFiling: ClaimFilingService;
  readonly referenceData: ReferenceDataService;
  readonly idempotency: IdempotencyService;
  readonly referenceAccess: ReferenceAccessService;
  readonly nodes: NodeService;

  constructor(
    readonly config: Config,
    readonly clock: Clock,
  ) {
    const currencies = config.claims.supportedCurrencies;
    this.idempotency = new IdempotencyService();
    this.claimAccess = new ClaimAccessService();
    this.claimQueries = new ClaimQueryService(this.claimAccess);
    this.claimFiling = new ClaimFilingService(clock, currencies, this.idempotency, this.claimQueries);
    this.referenceData = new ReferenceDataService(clock, currencies);
    this.referenceAccess = new ReferenceAccessService();
    this.nodes = new NodeService(this.claimQueries, this.claimAccess, this.referenceAccess);
  }
}
