import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { toGlobalId } from '../src/graphql/global-id';
import {
  type ActorRole,
  AddInsuranceProviderDocument,
  CancelInsurancePolicyDocument,
  type CancelInsurancePolicyInput,
  ClaimsDocument,
  FileClaimDocument,
  type FinancialRating,
  type InsurancePolicyEventType,
  InsurancePolicyNodeDocument,
  InsurancePolicyNumbersDocument,
  type InsurancePolicyNumbersQueryVariables,
  type InsuranceRequirement,
  type PolicyFieldsFragment,
  RecordOrderDocument,
  RegisterInsurancePolicyDocument,
  type RegisterInsurancePolicyInput,
  ResolutionClaimDocument,
  type ResolutionClaimFragment,
  SellerComplianceDocument,
  type SellerComplianceQuery,
  SuspendInsuranceProviderDocument,
  type UserErrorCode,
  VerifyInsurancePolicyDocument,
  type VerifyInsurancePolicyInput,
} from './__generated__/graphql';
import { claimInput, establishedCustomer, type Marketplace, seedMarketplace } from './support/fixtures';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { usd } from './support/money';
import { startTestServer, type TestServer } from './support/test-server';
import { at, clockAt, DAY, SECOND } from './support/time';

/**
 * The policy side of the seller insurance marketplace, over HTTP: sellers (or agents) register
 * cover bought anywhere, an agent or the issuing insurer verifies it against the marketplace's
 * requirements, policies move through their dates as the clock moves, expiry reminders go out,
 * and a seller's compliance on a day — which the claim workflow reads to decide whether a
 * concession is recovered from the seller. Every test starts from a fresh database, because the
 * tests move the clock and count rows.
 */

let t: TestServer;
let market: Marketplace;
let agent: GraphQLClient;
let sellerA: GraphQLClient;
let sellerB: GraphQLClient;
/** Acme Mutual (A-), a partner insurer: its tokens carry `ins-a`. */
let insurerA: GraphQLClient;
/** Beacon Casualty (A+), a partner insurer: its tokens carry `ins-b`. */
let insurerB: GraphQLClient;
/** Global ids of the providers, by their reference. */
let providers: Record<string, string>;

beforeEach(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  agent = await t.agent();
  sellerA = await t.as(Role.SELLER, 'sell-a');
  sellerB = await t.as(Role.SELLER, 'sell-b');
  insurerA = await t.as(Role.INSURER, 'ins-a');
  insurerB = await t.as(Role.INSURER, 'ins-b');
  providers = {};
  await addProvider('ins-a', 'Acme Mutual', '10001', 'A_MINUS');
  await addProvider('ins-b', 'Beacon Casualty', '10002', 'A_PLUS');
});

afterEach(async () => {
  if (!t) return;
  try {
    expect(await t.ledgerBreaches()).toEqual([]);
  } finally {
    await t.stop();
  }
});

// ---------------------------------------------------------------------------------------------
// Parties

/** A partner insurer (no rating model: it answers through the API), added by an agent. */
async function addProvider(
  externalRef: string,
  name: string,
  naicCode: string,
  financialRating: FinancialRating,
): Promise<string> {
  const { addInsuranceProvider } = await agent.data(AddInsuranceProviderDocument, {
    input: { externalRef, name, naicCode, financialRating, vetted: true },
  });
  expect(addInsuranceProvider.userErrors).toEqual([]);
  providers[externalRef] = addInsuranceProvider.provider!.id;
  return addInsuranceProvider.provider!.id;
}

/** A registration by Acme Mutual for 2026 on terms that meet every requirement; override any field. */
function policyInput(overrides: Partial<RegisterInsurancePolicyInput> = {}): RegisterInsurancePolicyInput {
  return {
    providerId: providers['ins-a'],
    policyNumber: 'AM-1001',
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    perOccurrenceLimit: usd('1000000.00'),
    aggregateLimit: usd('2000000.00'),
    deductible: usd('5000.00'),
    additionalInsured: true,
    ...overrides,
  };
}

async function register(client: GraphQLClient, input: RegisterInsurancePolicyInput) {
  return (await client.data(RegisterInsurancePolicyDocument, { input })).registerInsurancePolicy;
}

async function verify(client: GraphQLClient, input: VerifyInsurancePolicyInput) {
  return (await client.data(VerifyInsurancePolicyDocument, { input })).verifyInsurancePolicy;
}

async function cancel(client: GraphQLClient, input: CancelInsurancePolicyInput) {
  return (await client.data(CancelInsurancePolicyDocument, { input })).cancelInsurancePolicy;
}

/** Registers a policy (as the seller it names, or as an agent when `sellerId` is given) and returns it. */
async function registered(
  client: GraphQLClient,
  overrides: Partial<RegisterInsurancePolicyInput> = {},
): Promise<PolicyFieldsFragment> {
  const payload = await register(client, policyInput(overrides));
  expect(payload.userErrors).toEqual([]);
  return payload.policy!;
}

/** Registers a policy for `seller` and has an agent verify it as confirmed; returns its id. */
async function verifiedPolicy(
  seller: GraphQLClient,
  overrides: Partial<RegisterInsurancePolicyInput> = {},
): Promise<string> {
  const policy = await registered(seller, overrides);
  const payload = await verify(agent, { policyId: policy.id, confirmed: true });
  expect(payload.userErrors).toEqual([]);
  expect(payload.policy!.verificationStatus).toBe('VERIFIED');
  return policy.id;
}

/** The policy as an agent sees it: everything. */
async function read(policyId: string): Promise<PolicyFieldsFragment> {
  const { node } = await agent.data(InsurancePolicyNodeDocument, { id: policyId });
  expect(node).not.toBeNull();
  return node as PolicyFieldsFragment;
}

async function compliance(
  client: GraphQLClient,
  sellerRef: string | null,
  instant?: string,
): Promise<SellerComplianceQuery['sellerCompliance']> {
  const sellerId = sellerRef === null ? null : market.sellers[sellerRef];
  return (await client.data(SellerComplianceDocument, { sellerId, at: instant })).sellerCompliance;
}

/** The policy numbers a viewer lists, in the connection's order, with the total. */
async function listed(client: GraphQLClient, variables: Partial<InsurancePolicyNumbersQueryVariables> = {}) {
  const { insurancePolicies } = await client.data(InsurancePolicyNumbersDocument, {
    first: 100,
    ...variables,
  });
  return {
    totalCount: insurancePolicies.totalCount,
    numbers: insurancePolicies.edges.map((edge) => edge.node.policyNumber),
  };
}

// ---------------------------------------------------------------------------------------------
// Expected objects

type Check = PolicyFieldsFragment['requirementChecks'][number];
type PolicyEvent = PolicyFieldsFragment['events'][number];

function check(requirement: InsuranceRequirement, passed: boolean, required: string, actual: string): Check {
  return { requirement, passed, required, actual };
}

/** The five marketplace requirements against the default terms of `policyInput`, from an A- insurer. */
const MEETS_EVERY_REQUIREMENT: Check[] = [
  check('PER_OCCURRENCE_LIMIT', true, 'at least 1000000.00 USD per occurrence', '1000000.00 USD'),
  check('AGGREGATE_LIMIT', true, 'at least 1000000.00 USD in aggregate', '2000000.00 USD'),
  check('DEDUCTIBLE', true, 'at most 10000.00 USD', '5000.00 USD'),
  check('INSURER_RATING', true, 'A- or better', 'A-'),
  check('ADDITIONAL_INSURED', true, 'the marketplace named as additional insured', 'named'),
];

const ISSUER_DID_NOT_CONFIRM = check(
  'ISSUER_CONFIRMATION',
  false,
  'the issuer confirms the policy on these terms',
  'not confirmed',
);

function event(
  type: InsurancePolicyEventType,
  actorRole: ActorRole,
  message: string,
  occurredAt: string,
): PolicyEvent {
  return { type, actorRole, message, occurredAt };
}

function registeredEvent(
  actorRole: ActorRole,
  number = 'AM-1001',
  insurer = 'Acme Mutual',
  from = '2026-01-01',
  to = '2026-12-31',
  occurredAt = at(0),
) {
  return event(
    'REGISTERED',
    actorRole,
    `Registered for verification: ${insurer} policy ${number}, ${from} to ${to}.`,
    occurredAt,
  );
}

function verifiedEvent(actorRole: ActorRole, occurredAt = at(0)) {
  return event(
    'VERIFIED',
    actorRole,
    'Verified: the policy meets every marketplace requirement.',
    occurredAt,
  );
}

/** Acme Mutual's AM-1001 for sell-a in 2026, as registered by `actorRole` at the suite's start. */
function pendingAM1001(id: string, actorRole: ActorRole): PolicyFieldsFragment {
  return {
    id,
    policyNumber: 'AM-1001',
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    status: 'ACTIVE',
    verificationStatus: 'PENDING_VERIFICATION',
    source: 'REGISTERED',
    additionalInsured: true,
    registeredAt: at(0),
    verifiedAt: null,
    verifiedByRole: null,
    verificationNote: null,
    cancelledFrom: null,
    cancellationReason: null,
    seller: { externalRef: 'sell-a' },
    provider: { externalRef: 'ins-a', name: 'Acme Mutual' },
    perOccurrenceLimit: usd('1000000.00'),
    aggregateLimit: usd('2000000.00'),
    deductible: usd('5000.00'),
    annualPremium: null,
    marketplaceFee: usd('0.00'),
    requirementChecks: MEETS_EVERY_REQUIREMENT,
    failedRequirements: [],
    quote: null,
    events: [registeredEvent(actorRole)],
  };
}

// ---------------------------------------------------------------------------------------------
// Refusals write nothing

/** Integer columns come back as numbers from SQLite and as strings from PostgreSQL. */
type DbInteger = string | number | bigint;

/** Row counts of every table a policy command or job writes to. */
async function policyTableCounts(): Promise<Record<string, number>> {
  const connection = t.orm.em.getConnection();
  const counts: Record<string, number> = {};
  for (const table of ['insurance_policy', 'insurance_policy_event', 'scheduled_job']) {
    const [row]: { count: DbInteger }[] = await connection.execute(`select count(*) as count from ${table}`);
    counts[table] = Number(row.count);
  }
  return counts;
}

/** Everything a refused command could have changed: row counts and, given one, a policy's full state. */
async function snapshot(policyId?: string) {
  return { counts: await policyTableCounts(), policy: policyId ? await read(policyId) : null };
}

interface ExpectedUserError {
  field: string[];
  code: UserErrorCode;
  message: string;
}

function fieldError(field: string[], code: UserErrorCode, message: string): ExpectedUserError {
  return { field, code, message };
}

const NO_SUCH_POLICY = fieldError(['input', 'policyId'], 'NOT_FOUND', 'no such policy');

/** Sends a command that must be refused with exactly `userErrors`, and checks it wrote nothing. */
async function expectRefused(
  send: () => Promise<{ policy: unknown; userErrors: ExpectedUserError[] }>,
  userErrors: ExpectedUserError[],
  policyId?: string,
): Promise<void> {
  const before = await snapshot(policyId);
  expect(await send()).toEqual({ policy: null, userErrors });
  expect(await snapshot(policyId)).toEqual(before);
}

/** Sends an operation the role may not run at all: a top-level error, no data, nothing written. */
async function expectTopLevelError(
  code: string,
  send: () => Promise<GraphQLResponse<unknown>>,
): Promise<void> {
  const before = await policyTableCounts();
  const response = await send();
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  expect(await policyTableCounts()).toEqual(before);
}

// ---------------------------------------------------------------------------------------------
// Claims

/**
 * Files a claim on a new delivered order of sell-a's heater, by a new customer with an order from
 * long ago: screening then finds nothing to hold against the claim and routes it at once.
 */
async function fileClaim(
  customerRef: string,
  sellerRef: string,
  incidentDate: string,
  amount: string,
): Promise<string> {
  await establishedCustomer(t, customerRef);
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-${customerRef}`,
      customerRef,
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: usd('89.99'),
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-04T15:00:00.000Z',
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(recordOrder.order!.id, { incidentDate, amountClaimed: usd(amount) }),
  });
  expect(fileClaim.userErrors).toEqual([]);
  return fileClaim.claim!.id;
}

async function readClaim(claimId: string): Promise<ResolutionClaimFragment> {
  const { claim } = await agent.data(ResolutionClaimDocument, { id: claimId });
  expect(claim).not.toBeNull();
  return claim!;
}

/** What the no-cost rule decides: the claim's status, next step, payout and recovery. */
async function outcomeOf(claimId: string) {
  const { status, route, nextStep, payout, recovery } = await readClaim(claimId);
  return {
    status,
    route,
    nextStep,
    payout: payout && { payer: payout.payer, status: payout.status, amount: payout.amount },
    recovery,
  };
}

const NEXT_CLOSED = { summary: 'The claim is closed.', party: null, deadline: null };
const PAID_BY_MARKETPLACE = { payer: 'MARKETPLACE', status: 'COMPLETED', amount: usd('400.00') };

// =============================================================================================

describe('registering a policy', () => {
  it('a seller registers its own policy: pending verification, from REGISTERED, with every requirement checked', async () => {
    const before = await policyTableCounts();
    const { policy, userErrors } = await register(sellerA, policyInput());
    expect(userErrors).toEqual([]);
    expect(policy).toEqual(pendingAM1001(policy!.id, 'SELLER'));
    // One policy and its one event; no expiry work until it is verified.
    expect(await policyTableCounts()).toEqual({
      insurance_policy: before.insurance_policy + 1,
      insurance_policy_event: before.insurance_policy_event + 1,
      scheduled_job: before.scheduled_job,
    });
    expect(await read(policy!.id)).toEqual(policy);
  });

  it('an agent registers a policy for the seller it names', async () => {
    const { policy, userErrors } = await register(agent, policyInput({ sellerId: market.sellers['sell-a'] }));
    expect(userErrors).toEqual([]);
    expect(policy).toEqual(pendingAM1001(policy!.id, 'AGENT'));
  });

  it('requirement checks show every term that falls short, before anyone verifies', async () => {
    await addProvider('ins-weak', 'Weak Re', '10003', 'B_PLUS');
    const policy = await registered(sellerA, {
      providerId: providers['ins-weak'],
      policyNumber: 'WR-1',
      perOccurrenceLimit: usd('999999.99'),
      aggregateLimit: usd('999999.99'),
      deductible: usd('10000.01'),
      additionalInsured: false,
    });
    expect(policy).toMatchObject({ verificationStatus: 'PENDING_VERIFICATION', failedRequirements: [] });
    expect(policy.requirementChecks).toEqual([
      check('PER_OCCURRENCE_LIMIT', false, 'at least 1000000.00 USD per occurrence', '999999.99 USD'),
      check('AGGREGATE_LIMIT', false, 'at least 1000000.00 USD in aggregate', '999999.99 USD'),
      check('DEDUCTIBLE', false, 'at most 10000.00 USD', '10000.01 USD'),
      check('INSURER_RATING', false, 'A- or better', 'B+'),
      check('ADDITIONAL_INSURED', false, 'the marketplace named as additional insured', 'not named'),
    ]);
  });

  it('terms exactly at the requirements pass them, a zero deductible included', async () => {
    const policy = await registered(sellerA, { aggregateLimit: usd('1000000.00'), deductible: usd('0.00') });
    expect(policy.requirementChecks).toEqual([
      MEETS_EVERY_REQUIREMENT[0],
      check('AGGREGATE_LIMIT', true, 'at least 1000000.00 USD in aggregate', '1000000.00 USD'),
      check('DEDUCTIBLE', true, 'at most 10000.00 USD', '0.00 USD'),
      MEETS_EVERY_REQUIREMENT[3],
      MEETS_EVERY_REQUIREMENT[4],
    ]);
    const deductibleAtMaximum = await registered(sellerA, {
      policyNumber: 'AM-1002',
      deductible: usd('10000.00'),
    });
    expect(deductibleAtMaximum.requirementChecks[2]).toEqual(
      check('DEDUCTIBLE', true, 'at most 10000.00 USD', '10000.00 USD'),
    );
  });

  it('an unknown or suspended provider is refused, and nothing is written', async () => {
    await addProvider('ins-gone', 'Gone Insurance', '10004', 'A');
    const { suspendInsuranceProvider } = await agent.data(SuspendInsuranceProviderDocument, {
      input: { providerId: providers['ins-gone'] },
    });
    expect(suspendInsuranceProvider.userErrors).toEqual([]);

    const noSuchProvider = [fieldError(['input', 'providerId'], 'NOT_FOUND', 'no such provider')];
    await expectRefused(
      () => register(sellerA, policyInput({ providerId: toGlobalId('InsuranceProvider', 9999) })),
      noSuchProvider,
    );
    // A global id of another kind of object names no provider either.
    await expectRefused(
      () => register(sellerA, policyInput({ providerId: market.sellers['sell-a'] })),
      noSuchProvider,
    );
    await expectRefused(
      () => register(sellerA, policyInput({ providerId: providers['ins-gone'] })),
      [
        fieldError(
          ['input', 'providerId'],
          'PROVIDER_SUSPENDED',
          'this provider is suspended by the marketplace',
        ),
      ],
    );
  });

  it('a period that ends before it starts, or runs over three years, is refused', async () => {
    await expectRefused(
      () => register(sellerA, policyInput({ effectiveFrom: '2026-07-01', effectiveTo: '2026-06-30' })),
      [fieldError(['input', 'effectiveTo'], 'PERIOD_INVALID', 'effectiveTo is before effectiveFrom')],
    );
    await expectRefused(
      () => register(sellerA, policyInput({ effectiveFrom: '2026-07-01', effectiveTo: '2029-07-05' })),
      [fieldError(['input', 'effectiveTo'], 'PERIOD_INVALID', 'a policy period is at most three years')],
    );
    // Exactly three years, and a single day, are periods a policy may have.
    expect(
      (await register(sellerA, policyInput({ effectiveFrom: '2026-07-01', effectiveTo: '2029-06-30' })))
        .userErrors,
    ).toEqual([]);
    expect(
      (
        await register(
          sellerA,
          policyInput({ policyNumber: 'AM-1002', effectiveFrom: '2026-07-01', effectiveTo: '2026-07-01' }),
        )
      ).userErrors,
    ).toEqual([]);
  });

  it('limits and deductible must share one currency', async () => {
    const mismatch = 'limits and deductible must be in one currency';
    await expectRefused(
      () => register(sellerA, policyInput({ aggregateLimit: { amount: '2000000.00', currencyCode: 'EUR' } })),
      [fieldError(['input', 'aggregateLimit', 'currencyCode'], 'CURRENCY_MISMATCH', mismatch)],
    );
    await expectRefused(
      () =>
        register(
          sellerA,
          policyInput({
            aggregateLimit: { amount: '2000000.00', currencyCode: 'EUR' },
            deductible: { amount: '5000.00', currencyCode: 'GBP' },
          }),
        ),
      [
        fieldError(['input', 'aggregateLimit', 'currencyCode'], 'CURRENCY_MISMATCH', mismatch),
        fieldError(['input', 'deductible', 'currencyCode'], 'CURRENCY_MISMATCH', mismatch),
      ],
    );
  });

  it('an aggregate below the per-occurrence limit, or a deductible not below it, is out of range', async () => {
    await expectRefused(
      () => register(sellerA, policyInput({ aggregateLimit: usd('999999.99') })),
      [
        fieldError(
          ['input', 'aggregateLimit', 'amount'],
          'OUT_OF_RANGE',
          'the aggregate limit cannot be below the per-occurrence limit of 1000000.00',
        ),
      ],
    );
    await expectRefused(
      () => register(sellerA, policyInput({ deductible: usd('1000000.00') })),
      [
        fieldError(
          ['input', 'deductible', 'amount'],
          'OUT_OF_RANGE',
          'the deductible must be below the per-occurrence limit',
        ),
      ],
    );
  });

  it('bad amounts are refused field by field', async () => {
    const cases: [Partial<RegisterInsurancePolicyInput>, ExpectedUserError[]][] = [
      [
        { perOccurrenceLimit: usd('0.00') },
        [
          fieldError(
            ['input', 'perOccurrenceLimit', 'amount'],
            'AMOUNT_NOT_POSITIVE',
            'amount must be greater than zero',
          ),
        ],
      ],
      [
        { aggregateLimit: usd('-2000000.00') },
        [
          fieldError(
            ['input', 'aggregateLimit', 'amount'],
            'AMOUNT_NOT_POSITIVE',
            'amount must be greater than zero',
          ),
        ],
      ],
      [
        { deductible: usd('-1.00') },
        [fieldError(['input', 'deductible', 'amount'], 'AMOUNT_NOT_POSITIVE', 'amount must not be negative')],
      ],
      [
        { deductible: usd('5000.001') },
        [
          fieldError(
            ['input', 'deductible', 'amount'],
            'AMOUNT_TOO_PRECISE',
            'amount may have at most 2 decimals',
          ),
        ],
      ],
      [
        { perOccurrenceLimit: usd('1000000000.01'), aggregateLimit: usd('1000000000.01') },
        [
          fieldError(
            ['input', 'perOccurrenceLimit', 'amount'],
            'AMOUNT_TOO_LARGE',
            'amount may be at most 1,000,000,000.00',
          ),
          fieldError(
            ['input', 'aggregateLimit', 'amount'],
            'AMOUNT_TOO_LARGE',
            'amount may be at most 1,000,000,000.00',
          ),
        ],
      ],
      [
        { perOccurrenceLimit: { amount: '1000000.00', currencyCode: 'XYZ' } },
        [
          fieldError(
            ['input', 'perOccurrenceLimit', 'currencyCode'],
            'UNSUPPORTED_CURRENCY',
            'currencyCode must be one of USD, EUR, GBP, CAD',
          ),
        ],
      ],
      [
        { policyNumber: '   ' },
        [fieldError(['input', 'policyNumber'], 'REQUIRED', 'policyNumber must not be empty')],
      ],
    ];
    for (const [overrides, userErrors] of cases) {
      await expectRefused(() => register(sellerA, policyInput(overrides)), userErrors);
    }
    // Not a decimal at all: the Decimal scalar refuses it before the mutation runs.
    await expectTopLevelError('BAD_USER_INPUT', () =>
      sellerA.execute(RegisterInsurancePolicyDocument, {
        input: policyInput({ perOccurrenceLimit: usd('1,000,000') }),
      }),
    );
  });

  it('every problem is reported at once', async () => {
    await expectRefused(
      () =>
        register(
          sellerA,
          policyInput({
            providerId: toGlobalId('InsuranceProvider', 9999),
            effectiveTo: '2025-12-31',
            deductible: usd('-5.00'),
          }),
        ),
      [
        fieldError(['input', 'deductible', 'amount'], 'AMOUNT_NOT_POSITIVE', 'amount must not be negative'),
        fieldError(['input', 'effectiveTo'], 'PERIOD_INVALID', 'effectiveTo is before effectiveFrom'),
        fieldError(['input', 'providerId'], 'NOT_FOUND', 'no such provider'),
      ],
    );
  });

  it('a seller naming another seller, or an agent naming none, is told there is no such seller', async () => {
    const noSuchSeller = [fieldError(['input', 'sellerId'], 'NOT_FOUND', 'no such seller')];
    await expectRefused(
      () => register(sellerA, policyInput({ sellerId: market.sellers['sell-b'] })),
      noSuchSeller,
    );
    await expectRefused(() => register(agent, policyInput()), noSuchSeller);
    await expectRefused(
      () => register(agent, policyInput({ sellerId: toGlobalId('Seller', 9999) })),
      noSuchSeller,
    );
    // Naming itself is fine.
    expect((await register(sellerA, policyInput({ sellerId: market.sellers['sell-a'] }))).userErrors).toEqual(
      [],
    );
  });

  it('the same registration twice gives the same policy; the same number with other details is a conflict', async () => {
    const first = await register(sellerA, policyInput());
    expect(first.userErrors).toEqual([]);
    const counts = await policyTableCounts();
    // A retry (by the seller or an agent for it) answers with the first policy and writes nothing.
    expect(await register(sellerA, policyInput())).toEqual(first);
    expect(await register(agent, policyInput({ sellerId: market.sellers['sell-a'] }))).toEqual(first);
    expect(await policyTableCounts()).toEqual(counts);

    const conflict = [
      fieldError(
        ['input', 'policyNumber'],
        'POLICY_CONFLICT',
        'this policy number of this provider is registered with different details',
      ),
    ];
    await expectRefused(() => register(sellerA, policyInput({ effectiveTo: '2027-06-30' })), conflict);
    await expectRefused(() => register(sellerA, policyInput({ deductible: usd('2500.00') })), conflict);
    await expectRefused(() => register(sellerA, policyInput({ additionalInsured: false })), conflict);
    // Another seller cannot claim the policy number either.
    await expectRefused(() => register(sellerB, policyInput()), conflict);
    // The same number at another provider is another policy.
    expect((await register(sellerA, policyInput({ providerId: providers['ins-b'] }))).userErrors).toEqual([]);
  });

  it('customers, fraud experts and insurers may not register policies', async () => {
    for (const [role, subject] of [
      [Role.CUSTOMER, 'cust-a'],
      [Role.FRAUD_EXPERT, 'expert-1'],
      [Role.INSURER, 'ins-a'],
    ] as const) {
      const client = await t.as(role, subject);
      await expectTopLevelError('FORBIDDEN', () =>
        client.execute(RegisterInsurancePolicyDocument, {
          input: policyInput({ sellerId: market.sellers['sell-a'] }),
        }),
      );
    }
    await expectTopLevelError('UNAUTHENTICATED', () =>
      t.anonymous().execute(RegisterInsurancePolicyDocument, { input: policyInput() }),
    );
  });
});

describe('verifying a policy', () => {
  it('an agent verifies a confirmed policy that meets every requirement; its expiry work is scheduled', async () => {
    const { id } = await registered(sellerA);
    clockAt(t.clock, at(2 * DAY));
    const counts = await policyTableCounts();
    const { policy, userErrors } = await verify(agent, {
      policyId: id,
      confirmed: true,
      note: 'Confirmed by phone with Acme Mutual.',
    });
    expect(userErrors).toEqual([]);
    expect(policy).toEqual({
      ...pendingAM1001(id, 'SELLER'),
      verificationStatus: 'VERIFIED',
      verifiedAt: at(2 * DAY),
      verifiedByRole: 'AGENT',
      verificationNote: 'Confirmed by phone with Acme Mutual.',
      events: [registeredEvent('SELLER'), verifiedEvent('AGENT', at(2 * DAY))],
    });
    expect(await read(id)).toEqual(policy);
    // Two expiry reminders and the expiry itself.
    expect(await policyTableCounts()).toEqual({
      insurance_policy: counts.insurance_policy,
      insurance_policy_event: counts.insurance_policy_event + 1,
      scheduled_job: counts.scheduled_job + 3,
    });
  });

  it('the issuing insurer verifies its own policy; another insurer is told there is no such policy', async () => {
    const { id } = await registered(sellerA);
    await expectRefused(() => verify(insurerB, { policyId: id, confirmed: true }), [NO_SUCH_POLICY], id);

    const { policy, userErrors } = await verify(insurerA, { policyId: id, confirmed: true });
    expect(userErrors).toEqual([]);
    expect(policy).toEqual({
      ...pendingAM1001(id, 'SELLER'),
      verificationStatus: 'VERIFIED',
      verifiedAt: at(0),
      verifiedByRole: 'INSURER',
      events: [registeredEvent('SELLER'), verifiedEvent('INSURER')],
    });
  });

  it('a policy that falls short is rejected with exactly the failed requirements, and gets no expiry work', async () => {
    await addProvider('ins-weak', 'Weak Re', '10003', 'B_PLUS');
    const { id } = await registered(sellerA, {
      providerId: providers['ins-weak'],
      policyNumber: 'WR-1',
      perOccurrenceLimit: usd('500000.00'),
      aggregateLimit: usd('2000000.00'),
      deductible: usd('5000.00'),
      additionalInsured: false,
    });
    const counts = await policyTableCounts();
    const { policy, userErrors } = await verify(agent, { policyId: id, confirmed: true });
    expect(userErrors).toEqual([]);
    const failed = [
      check('PER_OCCURRENCE_LIMIT', false, 'at least 1000000.00 USD per occurrence', '500000.00 USD'),
      check('INSURER_RATING', false, 'A- or better', 'B+'),
      check('ADDITIONAL_INSURED', false, 'the marketplace named as additional insured', 'not named'),
    ];
    expect(policy).toMatchObject({
      verificationStatus: 'REJECTED',
      verifiedAt: at(0),
      verifiedByRole: 'AGENT',
      failedRequirements: failed,
    });
    expect(policy!.events).toEqual([
      registeredEvent('SELLER', 'WR-1', 'Weak Re'),
      event(
        'REJECTED',
        'AGENT',
        'Rejected: PER_OCCURRENCE_LIMIT (required at least 1000000.00 USD per occurrence, has 500000.00 USD); ' +
          'INSURER_RATING (required A- or better, has B+); ' +
          'ADDITIONAL_INSURED (required the marketplace named as additional insured, has not named).',
        at(0),
      ),
    ]);
    expect(await policyTableCounts()).toEqual({
      ...counts,
      insurance_policy_event: counts.insurance_policy_event + 1,
    });
  });

  it('an unconfirmed policy is rejected for the missing confirmation alone', async () => {
    const { id } = await registered(sellerA);
    const { policy, userErrors } = await verify(insurerA, {
      policyId: id,
      confirmed: false,
      note: 'We have no such policy on file.',
    });
    expect(userErrors).toEqual([]);
    expect(policy).toEqual({
      ...pendingAM1001(id, 'SELLER'),
      verificationStatus: 'REJECTED',
      verifiedAt: at(0),
      verifiedByRole: 'INSURER',
      verificationNote: 'We have no such policy on file.',
      failedRequirements: [ISSUER_DID_NOT_CONFIRM],
      events: [
        registeredEvent('SELLER'),
        event(
          'REJECTED',
          'INSURER',
          'Rejected: ISSUER_CONFIRMATION (required the issuer confirms the policy on these terms, has not confirmed).',
          at(0),
        ),
      ],
    });
  });

  it('an unconfirmed policy that also falls short lists every failure, the confirmation last', async () => {
    const { id } = await registered(sellerA, { deductible: usd('25000.00') });
    const { policy } = await verify(agent, { policyId: id, confirmed: false });
    expect(policy!.failedRequirements).toEqual([
      check('DEDUCTIBLE', false, 'at most 10000.00 USD', '25000.00 USD'),
      ISSUER_DID_NOT_CONFIRM,
    ]);
  });

  it('a verified or rejected policy cannot be verified again', async () => {
    const verifiedId = await verifiedPolicy(sellerA);
    const { id: rejectedId } = await registered(sellerA, { policyNumber: 'AM-1002' });
    expect((await verify(agent, { policyId: rejectedId, confirmed: false })).userErrors).toEqual([]);

    await expectRefused(
      () => verify(agent, { policyId: verifiedId, confirmed: true }),
      [fieldError(['input', 'policyId'], 'WRONG_STATUS', 'the policy is already VERIFIED')],
      verifiedId,
    );
    await expectRefused(
      () => verify(insurerA, { policyId: rejectedId, confirmed: true }),
      [fieldError(['input', 'policyId'], 'WRONG_STATUS', 'the policy is already REJECTED')],
      rejectedId,
    );
  });

  it('an unknown policy id is not found; sellers and customers may not verify', async () => {
    await expectRefused(
      () => verify(agent, { policyId: toGlobalId('InsurancePolicy', 9999), confirmed: true }),
      [NO_SUCH_POLICY],
    );
    await expectRefused(
      () => verify(agent, { policyId: market.sellers['sell-a'], confirmed: true }),
      [NO_SUCH_POLICY],
    );

    const { id } = await registered(sellerA);
    const before = await snapshot(id);
    await expectTopLevelError('FORBIDDEN', () =>
      sellerA.execute(VerifyInsurancePolicyDocument, { input: { policyId: id, confirmed: true } }),
    );
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    await expectTopLevelError('FORBIDDEN', () =>
      customer.execute(VerifyInsurancePolicyDocument, { input: { policyId: id, confirmed: true } }),
    );
    expect(await snapshot(id)).toEqual(before);
  });
});

describe('policy status follows its dates', () => {
  it('UPCOMING before cover starts, ACTIVE through its last day, EXPIRED after', async () => {
    const { id, status } = await registered(sellerA, {
      effectiveFrom: '2026-07-01',
      effectiveTo: '2026-12-31',
    });
    expect(status).toBe('UPCOMING');
    for (const [instant, expected] of [
      ['2026-06-30T23:59:59.999Z', 'UPCOMING'],
      ['2026-07-01T00:00:00.000Z', 'ACTIVE'],
      ['2026-12-31T23:59:59.999Z', 'ACTIVE'],
      ['2027-01-01T00:00:00.000Z', 'EXPIRED'],
    ] as const) {
      clockAt(t.clock, instant);
      expect((await read(id)).status, instant).toBe(expected);
    }
  });

  it('a seller cancels from a future day: ACTIVE until then, CANCELLED from that day', async () => {
    const id = await verifiedPolicy(sellerA);
    const { policy, userErrors } = await cancel(sellerA, {
      policyId: id,
      effectiveOn: '2026-06-20',
      reason: 'Switching insurers.',
    });
    expect(userErrors).toEqual([]);
    expect(policy).toMatchObject({
      status: 'ACTIVE',
      verificationStatus: 'VERIFIED',
      cancelledFrom: '2026-06-20',
      cancellationReason: 'Switching insurers.',
    });
    expect(policy!.events.at(-1)).toEqual(
      event('CANCELLED', 'SELLER', 'Cancelled from 2026-06-20: Switching insurers.', at(0)),
    );

    clockAt(t.clock, '2026-06-19T23:59:59.999Z');
    expect((await read(id)).status).toBe('ACTIVE');
    clockAt(t.clock, '2026-06-20T00:00:00.000Z');
    expect((await read(id)).status).toBe('CANCELLED');
    // Cancelled stays cancelled, also once the period is over.
    clockAt(t.clock, '2027-02-01T00:00:00.000Z');
    expect((await read(id)).status).toBe('CANCELLED');
  });

  it('a seller may cancel from today but not in the past', async () => {
    const id = await verifiedPolicy(sellerA);
    await expectRefused(
      () => cancel(sellerA, { policyId: id, effectiveOn: '2026-06-14', reason: 'Never mind.' }),
      [
        fieldError(
          ['input', 'effectiveOn'],
          'OUT_OF_RANGE',
          'a seller may cancel from today on, not in the past',
        ),
      ],
      id,
    );
    const { policy } = await cancel(sellerA, {
      policyId: id,
      effectiveOn: '2026-06-15',
      reason: 'Closing the shop.',
    });
    expect(policy).toMatchObject({ status: 'CANCELLED', cancelledFrom: '2026-06-15' });
  });

  it('the issuing insurer may backdate a cancellation; another insurer or seller finds no such policy', async () => {
    const id = await verifiedPolicy(sellerA);
    const input = { policyId: id, effectiveOn: '2026-06-01', reason: 'Premium unpaid since May.' };
    await expectRefused(() => cancel(insurerB, input), [NO_SUCH_POLICY], id);
    await expectRefused(() => cancel(sellerB, { ...input, effectiveOn: '2026-06-20' }), [NO_SUCH_POLICY], id);

    const { policy, userErrors } = await cancel(insurerA, input);
    expect(userErrors).toEqual([]);
    expect(policy).toEqual({
      ...pendingAM1001(id, 'SELLER'),
      status: 'CANCELLED',
      verificationStatus: 'VERIFIED',
      verifiedAt: at(0),
      verifiedByRole: 'AGENT',
      cancelledFrom: '2026-06-01',
      cancellationReason: 'Premium unpaid since May.',
      events: [
        registeredEvent('SELLER'),
        verifiedEvent('AGENT'),
        event('CANCELLED', 'INSURER', 'Cancelled from 2026-06-01: Premium unpaid since May.', at(0)),
      ],
    });
  });

  it('an agent may cancel from before cover starts: the policy is cancelled from its first day', async () => {
    const { id } = await registered(sellerA, { effectiveFrom: '2026-07-01', effectiveTo: '2027-06-30' });
    const { policy } = await cancel(agent, {
      policyId: id,
      effectiveOn: '2026-03-01',
      reason: 'Registered by mistake.',
    });
    expect(policy).toMatchObject({ status: 'UPCOMING', cancelledFrom: '2026-07-01' });
    clockAt(t.clock, '2026-07-01T00:00:00.000Z');
    expect((await read(id)).status).toBe('CANCELLED');
  });

  it('cancelling twice, or from after cover ends, is refused', async () => {
    const id = await verifiedPolicy(sellerA);
    await expectRefused(
      () => cancel(agent, { policyId: id, effectiveOn: '2027-01-01', reason: 'Too late.' }),
      [fieldError(['input', 'effectiveOn'], 'OUT_OF_RANGE', 'cover already ends on 2026-12-31')],
      id,
    );
    expect(
      (await cancel(sellerA, { policyId: id, effectiveOn: '2026-07-01', reason: 'Switching insurers.' }))
        .userErrors,
    ).toEqual([]);
    for (const client of [sellerA, insurerA, agent]) {
      await expectRefused(
        () => cancel(client, { policyId: id, effectiveOn: '2026-08-01', reason: 'Again.' }),
        [
          fieldError(
            ['input', 'policyId'],
            'WRONG_STATUS',
            'the policy is already cancelled from 2026-07-01',
          ),
        ],
        id,
      );
    }
    await expectRefused(
      () => cancel(agent, { policyId: id, effectiveOn: '2026-08-01', reason: '  ' }),
      [fieldError(['input', 'reason'], 'REQUIRED', 'reason must not be empty')],
      id,
    );
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    await expectTopLevelError('FORBIDDEN', () =>
      customer.execute(CancelInsurancePolicyDocument, {
        input: { policyId: id, effectiveOn: '2026-08-01', reason: 'No.' },
      }),
    );
  });
});

describe('expiry reminders', () => {
  /** Acme Mutual's AM-1001 for sell-a, ending 2026-07-31: reminders due 07-02 and 07-25, expiry 08-01. */
  const ENDING_JULY = { effectiveTo: '2026-07-31' };
  const reminder = (days: number, occurredAt: string) =>
    event(
      'EXPIRY_REMINDER',
      'SYSTEM',
      `Reminder: cover under Acme Mutual policy AM-1001 ends on 2026-07-31, in ${days} days. Renew it, bind a new quote or register another policy to stay compliant.`,
      occurredAt,
    );
  const VERIFIED_JULY = [
    registeredEvent('SELLER', 'AM-1001', 'Acme Mutual', '2026-01-01', '2026-07-31'),
    verifiedEvent('AGENT'),
  ];

  it('a verified policy is reminded 30 and 7 days before cover ends, and expires the day after its last day', async () => {
    const id = await verifiedPolicy(sellerA, ENDING_JULY);

    for (const [instant, ran] of [
      ['2026-07-01T23:59:59.999Z', 0],
      ['2026-07-02T00:00:00.000Z', 1],
      ['2026-07-24T23:59:59.999Z', 0],
      ['2026-07-25T00:00:00.000Z', 1],
      ['2026-07-31T23:59:59.999Z', 0],
    ] as const) {
      clockAt(t.clock, instant);
      expect(await t.runJobs(), instant).toBe(ran);
    }
    expect(await read(id)).toMatchObject({
      status: 'ACTIVE',
      events: [
        ...VERIFIED_JULY,
        reminder(30, '2026-07-02T00:00:00.000Z'),
        reminder(7, '2026-07-25T00:00:00.000Z'),
      ],
    });

    clockAt(t.clock, '2026-08-01T00:00:00.000Z');
    expect(await t.runJobs()).toBe(1);
    expect(await read(id)).toMatchObject({
      status: 'EXPIRED',
      verificationStatus: 'VERIFIED',
      events: [
        ...VERIFIED_JULY,
        reminder(30, '2026-07-02T00:00:00.000Z'),
        reminder(7, '2026-07-25T00:00:00.000Z'),
        event(
          'EXPIRED',
          'SYSTEM',
          'Cover ended on 2026-07-31. No later verified policy follows: the seller is not compliant from the next day.',
          '2026-08-01T00:00:00.000Z',
        ),
      ],
    });
    expect(await t.runJobs()).toBe(0);
  });

  it('a policy verified with less than 30 days left gets only the reminders still ahead', async () => {
    const id = await verifiedPolicy(sellerA, { effectiveTo: '2026-06-30' });
    // The 30-day reminder (06-01) was already past at verification: only the 7-day one is due.
    clockAt(t.clock, '2026-06-24T00:00:00.000Z');
    expect(await t.runJobs()).toBe(1);
    clockAt(t.clock, '2026-07-01T00:00:00.000Z');
    expect(await t.runJobs()).toBe(1);
    expect(await t.runJobs()).toBe(0);
    expect((await read(id)).events.map((entry) => [entry.type, entry.occurredAt])).toEqual([
      ['REGISTERED', at(0)],
      ['VERIFIED', at(0)],
      ['EXPIRY_REMINDER', '2026-06-24T00:00:00.000Z'],
      ['EXPIRED', '2026-07-01T00:00:00.000Z'],
    ]);
  });

  it('reminders run late, after cover ended, are dropped: the expiry says it', async () => {
    const id = await verifiedPolicy(sellerA, ENDING_JULY);
    // The processor was down from June to August: every job is due at once.
    clockAt(t.clock, '2026-08-03T09:00:00.000Z');
    expect(await t.runJobs()).toBe(3);
    expect((await read(id)).events.map((entry) => [entry.type, entry.occurredAt])).toEqual([
      ['REGISTERED', at(0)],
      ['VERIFIED', at(0)],
      ['EXPIRED', '2026-08-03T09:00:00.000Z'],
    ]);
  });

  it('no reminder once a later verified policy covers the day after; a pending one does not count', async () => {
    const id = await verifiedPolicy(sellerA, ENDING_JULY);
    const renewal = await registered(sellerA, {
      providerId: providers['ins-b'],
      policyNumber: 'BC-2001',
      effectiveFrom: '2026-08-01',
      effectiveTo: '2027-07-31',
    });

    // The renewal is not verified yet: the seller is still reminded.
    clockAt(t.clock, '2026-07-02T00:00:00.000Z');
    expect(await t.runJobs()).toBe(1);
    expect((await verify(insurerB, { policyId: renewal.id, confirmed: true })).userErrors).toEqual([]);

    clockAt(t.clock, '2026-08-01T00:00:00.000Z');
    expect(await t.runJobs()).toBe(2);
    expect((await read(id)).events).toEqual([
      ...VERIFIED_JULY,
      reminder(30, '2026-07-02T00:00:00.000Z'),
      event('EXPIRED', 'SYSTEM', 'Cover ended on 2026-07-31.', '2026-08-01T00:00:00.000Z'),
    ]);
    expect((await read(renewal.id)).events.map((entry) => entry.type)).toEqual(['REGISTERED', 'VERIFIED']);
    expect(await compliance(agent, 'sell-a', '2026-08-01T00:00:00.000Z')).toMatchObject({
      compliant: true,
      policy: { policyNumber: 'BC-2001' },
    });
  });

  it('a cancelled policy gets no reminder and no expiry', async () => {
    const id = await verifiedPolicy(sellerA, ENDING_JULY);
    expect(
      (await cancel(sellerA, { policyId: id, effectiveOn: '2026-07-10', reason: 'Closing the shop.' }))
        .userErrors,
    ).toEqual([]);
    clockAt(t.clock, '2026-08-02T00:00:00.000Z');
    // The jobs run and find nothing to say.
    expect(await t.runJobs()).toBe(3);
    expect((await read(id)).events.map((entry) => entry.type)).toEqual([
      'REGISTERED',
      'VERIFIED',
      'CANCELLED',
    ]);
  });

  it('pending and rejected policies are never reminded', async () => {
    const pending = await registered(sellerA, ENDING_JULY);
    const rejected = await registered(sellerB, { ...ENDING_JULY, policyNumber: 'AM-2001' });
    expect((await verify(agent, { policyId: rejected.id, confirmed: false })).userErrors).toEqual([]);
    clockAt(t.clock, '2026-08-02T00:00:00.000Z');
    expect(await t.runJobs()).toBe(0);
    expect((await read(pending.id)).events.map((entry) => entry.type)).toEqual(['REGISTERED']);
    expect((await read(rejected.id)).events.map((entry) => entry.type)).toEqual(['REGISTERED', 'REJECTED']);
  });
});

describe('seller compliance', () => {
  it('a seller is compliant on the days a verified policy covers, and not after it ends', async () => {
    const id = await verifiedPolicy(sellerA);
    const compliant = {
      seller: { externalRef: 'sell-a' },
      compliant: true,
      reasons: [],
      policy: { id, policyNumber: 'AM-1001' },
    };
    // `at` defaults to now.
    expect(await compliance(sellerA, null)).toEqual({ ...compliant, at: at(0), day: '2026-06-15' });
    expect(await compliance(agent, 'sell-a', '2026-01-01T00:00:00.000Z')).toEqual({
      ...compliant,
      at: '2026-01-01T00:00:00.000Z',
      day: '2026-01-01',
    });
    expect(await compliance(agent, 'sell-a', '2026-12-31T23:59:59.999Z')).toEqual({
      ...compliant,
      at: '2026-12-31T23:59:59.999Z',
      day: '2026-12-31',
    });
    expect(await compliance(agent, 'sell-a', '2027-01-01T00:00:00.000Z')).toEqual({
      seller: { externalRef: 'sell-a' },
      at: '2027-01-01T00:00:00.000Z',
      day: '2027-01-01',
      compliant: false,
      policy: null,
      reasons: ['no policy covers 2027-01-01', 'policy AM-1001 (Acme Mutual) ended on 2026-12-31'],
    });
    expect(await compliance(agent, 'sell-a', '2025-12-31T23:59:59.999Z')).toMatchObject({
      compliant: false,
      reasons: ['no policy covers 2025-12-31', 'policy AM-1001 (Acme Mutual) starts on 2026-01-01'],
    });
  });

  it('not compliant, and why: no policy, pending, rejected, cancelled', async () => {
    const reasonsOf = async (sellerRef: string, instant = at(0)) => {
      const result = await compliance(agent, sellerRef, instant);
      expect(result).toMatchObject({ seller: { externalRef: sellerRef }, compliant: false, policy: null });
      return result!.reasons;
    };
    expect(await reasonsOf('sell-b')).toEqual(['no product-liability policy is on record']);

    const pending = await registered(sellerB, { providerId: providers['ins-b'], policyNumber: 'BC-1' });
    expect(await reasonsOf('sell-b')).toEqual([
      'policy BC-1 (Beacon Casualty) covering 2026-06-15 is not verified yet',
    ]);

    expect((await verify(insurerB, { policyId: pending.id, confirmed: false })).userErrors).toEqual([]);
    expect(await reasonsOf('sell-b')).toEqual([
      'policy BC-1 (Beacon Casualty) covering 2026-06-15 was rejected',
    ]);

    const id = await verifiedPolicy(sellerA);
    expect(
      (await cancel(agent, { policyId: id, effectiveOn: '2026-06-10', reason: 'Premium unpaid.' }))
        .userErrors,
    ).toEqual([]);
    expect(await compliance(agent, 'sell-a', '2026-06-09T23:59:59.999Z')).toMatchObject({
      compliant: true,
      policy: { policyNumber: 'AM-1001' },
    });
    expect(await reasonsOf('sell-a', '2026-06-10T00:00:00.000Z')).toEqual([
      'policy AM-1001 (Acme Mutual) was cancelled from 2026-06-10',
    ]);

    // Every policy covering the day is accounted for, the latest registered first.
    await registered(sellerA, { providerId: providers['ins-b'], policyNumber: 'BC-2' });
    expect(await reasonsOf('sell-a')).toEqual([
      'policy BC-2 (Beacon Casualty) covering 2026-06-15 is not verified yet',
      'policy AM-1001 (Acme Mutual) was cancelled from 2026-06-10',
    ]);
  });

  it('a verified policy next to a rejected one makes the seller compliant', async () => {
    const rejected = await registered(sellerA, { providerId: providers['ins-b'], policyNumber: 'BC-1' });
    expect((await verify(agent, { policyId: rejected.id, confirmed: false })).userErrors).toEqual([]);
    const id = await verifiedPolicy(sellerA);
    expect(await compliance(sellerA, null)).toMatchObject({ compliant: true, reasons: [], policy: { id } });
  });

  it('the seller itself, an insurer of that seller and agents see it; other sellers and insurers read null', async () => {
    await verifiedPolicy(sellerA);
    const ofSellerA = await compliance(agent, 'sell-a');
    expect(ofSellerA).toMatchObject({ seller: { externalRef: 'sell-a' }, compliant: true });
    expect(await compliance(sellerA, null)).toEqual(ofSellerA);
    expect(await compliance(sellerA, 'sell-a')).toEqual(ofSellerA);
    expect(await compliance(insurerA, 'sell-a')).toEqual(ofSellerA);

    expect(await compliance(sellerB, 'sell-a')).toBeNull();
    expect(await compliance(insurerB, 'sell-a')).toBeNull();
    // An insurer whose only policy of the seller was rejected is no insurer of it.
    const rejected = await registered(sellerA, {
      providerId: providers['ins-b'],
      policyNumber: 'BC-REJECTED',
    });
    expect((await verify(agent, { policyId: rejected.id, confirmed: false })).userErrors).toEqual([]);
    expect(await compliance(insurerB, 'sell-a')).toBeNull();
    expect(await compliance(insurerA, 'sell-b')).toBeNull();
    // An insurer (or an agent) must say which seller it means.
    expect(await compliance(insurerA, null)).toBeNull();
    expect(await compliance(agent, null)).toBeNull();

    for (const [role, subject] of [
      [Role.CUSTOMER, 'cust-a'],
      [Role.FRAUD_EXPERT, 'expert-1'],
    ] as const) {
      const client = await t.as(role, subject);
      const response = await client.execute(SellerComplianceDocument, { sellerId: market.sellers['sell-a'] });
      expect(response.data?.sellerCompliance ?? null).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('a lapse of cover and the claim workflow', () => {
  /**
   * sell-a is insured until day D (2026-06-10) and not from then on; `lapse` ends the cover.
   * A small claim with its incident the day before D costs the seller nothing; one with its
   * incident on D is paid, and the marketplace recovers it from the seller after the grace period.
   */
  async function lapseChangesTheOutcome(lapse: () => Promise<void>, reasons: string[]): Promise<void> {
    await lapse();
    expect(await compliance(agent, 'sell-a', '2026-06-09T23:59:59.999Z')).toMatchObject({
      compliant: true,
      reasons: [],
    });
    expect(await compliance(agent, 'sell-a', '2026-06-10T00:00:00.000Z')).toMatchObject({
      compliant: false,
      reasons,
      policy: null,
    });

    const covered = await fileClaim('cust-covered', 'sell-a', '2026-06-09', '400.00');
    const lapsed = await fileClaim('cust-lapsed', 'sell-a', '2026-06-10', '400.00');
    expect(await t.runJobs()).toBe(2);

    expect(await outcomeOf(covered)).toEqual({
      status: 'CLOSED',
      route: 'CONCESSION',
      nextStep: NEXT_CLOSED,
      payout: PAID_BY_MARKETPLACE,
      recovery: null,
    });

    const awaitingProof = {
      debtor: 'SELLER',
      status: 'AWAITING_PROOF',
      amount: usd('400.00'),
      graceEndsAt: at(7 * DAY),
      // The recovery gives the seller the same reasons the compliance query does.
      reason: `${reasons.join('; ')}; concession paid for an uninsured seller`,
      openedAt: at(0),
      resolvedAt: null,
    };
    expect(await outcomeOf(lapsed)).toEqual({
      status: 'PAID',
      route: 'CONCESSION',
      nextStep: {
        summary:
          'The customer was paid. The seller may prove it was insured on the incident date; otherwise the marketplace recovers the amount.',
        party: 'SELLER',
        deadline: at(7 * DAY),
      },
      payout: PAID_BY_MARKETPLACE,
      recovery: awaitingProof,
    });

    // The grace period runs for seven days to the second.
    t.clock.advance(7 * DAY - SECOND);
    expect(await t.runJobs()).toBe(0);
    t.clock.advance(SECOND);
    expect(await t.runJobs()).toBe(1);
    expect(await outcomeOf(lapsed)).toEqual({
      status: 'PAID',
      route: 'CONCESSION',
      nextStep: {
        summary: 'The customer was paid; the marketplace recovers the amount.',
        party: 'MARKETPLACE',
        deadline: null,
      },
      payout: PAID_BY_MARKETPLACE,
      recovery: { ...awaitingProof, status: 'OPEN' },
    });
    expect(await outcomeOf(covered)).toMatchObject({ status: 'CLOSED', recovery: null });
  }

  it('a policy cancelled from day D: claims from D on are recovered from the seller', async () => {
    await lapseChangesTheOutcome(async () => {
      const id = await verifiedPolicy(sellerA);
      // The insurer records, after the fact, that cover stopped on D.
      expect(
        (await cancel(insurerA, { policyId: id, effectiveOn: '2026-06-10', reason: 'Premium unpaid.' }))
          .userErrors,
      ).toEqual([]);
    }, ['policy AM-1001 (Acme Mutual) was cancelled from 2026-06-10']);
  });

  it('a policy whose last day is the day before D: claims from D on are recovered from the seller', async () => {
    await lapseChangesTheOutcome(async () => {
      await verifiedPolicy(sellerA, { effectiveFrom: '2025-06-10', effectiveTo: '2026-06-09' });
    }, ['no policy covers 2026-06-10', 'policy AM-1001 (Acme Mutual) ended on 2026-06-09']);
  });

  it('a policy covering the incident, verified within the grace period, cancels the recovery', async () => {
    const claimId = await fileClaim('cust-late-proof', 'sell-b', '2026-06-05', '400.00');
    expect(await t.runJobs()).toBe(1);
    expect(await outcomeOf(claimId)).toMatchObject({
      status: 'PAID',
      recovery: {
        status: 'AWAITING_PROOF',
        reason: 'no product-liability policy is on record; concession paid for an uninsured seller',
      },
    });

    clockAt(t.clock, at(3 * DAY));
    const policy = await registered(sellerB, { providerId: providers['ins-b'], policyNumber: 'BC-3001' });
    // Registered is not proof yet; the insurer confirms it.
    expect((await verify(insurerB, { policyId: policy.id, confirmed: true })).userErrors).toEqual([]);

    clockAt(t.clock, at(7 * DAY));
    expect(await t.runJobs()).toBe(1);
    expect(await outcomeOf(claimId)).toEqual({
      status: 'CLOSED',
      route: 'CONCESSION',
      nextStep: NEXT_CLOSED,
      payout: PAID_BY_MARKETPLACE,
      recovery: {
        debtor: 'SELLER',
        status: 'CANCELLED',
        amount: usd('400.00'),
        graceEndsAt: at(7 * DAY),
        reason: 'no product-liability policy is on record; concession paid for an uninsured seller',
        openedAt: at(0),
        resolvedAt: at(7 * DAY),
      },
    });
  });

  it('a policy still pending at the end of the grace period does not cancel the recovery', async () => {
    const claimId = await fileClaim('cust-pending-proof', 'sell-b', '2026-06-05', '400.00');
    expect(await t.runJobs()).toBe(1);
    await registered(sellerB, { providerId: providers['ins-b'], policyNumber: 'BC-3001' });
    clockAt(t.clock, at(7 * DAY));
    expect(await t.runJobs()).toBe(1);
    expect(await outcomeOf(claimId)).toMatchObject({ status: 'PAID', recovery: { status: 'OPEN' } });
  });
});

describe('who sees which policies', () => {
  /**
   * sell-a: AM-1001 (Acme, 2026, verified) and BC-1001 (Beacon, 2027, pending);
   * sell-b: BC-2001 (Beacon, from 2026-03-01, verified) and AM-2001 (Acme, from 2026-02-01, rejected).
   * Listed latest cover first: BC-1001, BC-2001, AM-2001, AM-1001.
   */
  async function fourPolicies() {
    const am1001 = await verifiedPolicy(sellerA);
    const bc1001 = await registered(sellerA, {
      providerId: providers['ins-b'],
      policyNumber: 'BC-1001',
      effectiveFrom: '2027-01-01',
      effectiveTo: '2027-12-31',
    });
    const bc2001 = await verifiedPolicy(sellerB, {
      providerId: providers['ins-b'],
      policyNumber: 'BC-2001',
      effectiveFrom: '2026-03-01',
      effectiveTo: '2027-02-28',
    });
    const am2001 = await registered(sellerB, {
      policyNumber: 'AM-2001',
      effectiveFrom: '2026-02-01',
      effectiveTo: '2027-01-31',
    });
    expect((await verify(insurerA, { policyId: am2001.id, confirmed: false })).userErrors).toEqual([]);
    return { am1001, bc1001: bc1001.id, bc2001, am2001: am2001.id };
  }

  it('a seller lists its own policies, an insurer those it underwrites, an agent all of them with filters', async () => {
    await fourPolicies();
    expect(await listed(sellerA)).toEqual({ totalCount: 2, numbers: ['BC-1001', 'AM-1001'] });
    expect(await listed(sellerB)).toEqual({ totalCount: 2, numbers: ['BC-2001', 'AM-2001'] });
    // A seller's filter cannot widen what it sees.
    expect(await listed(sellerA, { sellerId: market.sellers['sell-b'] })).toEqual({
      totalCount: 0,
      numbers: [],
    });
    expect(await listed(insurerA)).toEqual({ totalCount: 2, numbers: ['AM-2001', 'AM-1001'] });
    expect(await listed(insurerB)).toEqual({ totalCount: 2, numbers: ['BC-1001', 'BC-2001'] });
    expect(await listed(insurerB, { sellerId: market.sellers['sell-b'] })).toEqual({
      totalCount: 1,
      numbers: ['BC-2001'],
    });
    expect(await listed(await t.as(Role.INSURER, 'ins-none'))).toEqual({ totalCount: 0, numbers: [] });

    expect(await listed(agent)).toEqual({
      totalCount: 4,
      numbers: ['BC-1001', 'BC-2001', 'AM-2001', 'AM-1001'],
    });
    expect(await listed(agent, { sellerId: market.sellers['sell-b'] })).toEqual({
      totalCount: 2,
      numbers: ['BC-2001', 'AM-2001'],
    });
    expect(await listed(agent, { verificationStatus: 'VERIFIED' })).toEqual({
      totalCount: 2,
      numbers: ['BC-2001', 'AM-1001'],
    });
    expect(await listed(agent, { verificationStatus: 'PENDING_VERIFICATION' })).toEqual({
      totalCount: 1,
      numbers: ['BC-1001'],
    });
    expect(
      await listed(agent, { verificationStatus: 'REJECTED', sellerId: market.sellers['sell-a'] }),
    ).toEqual({ totalCount: 0, numbers: [] });
  });

  it('the connection pages through the policies in order', async () => {
    await fourPolicies();
    const first = (await agent.data(InsurancePolicyNumbersDocument, { first: 3 })).insurancePolicies;
    expect(first.edges.map((edge) => edge.node.policyNumber)).toEqual(['BC-1001', 'BC-2001', 'AM-2001']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (
      await agent.data(InsurancePolicyNumbersDocument, { first: 3, after: first.pageInfo.endCursor })
    ).insurancePolicies;
    expect(rest.edges.map((edge) => edge.node.policyNumber)).toEqual(['AM-1001']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.totalCount).toBe(4);

    const tooMany = await agent.execute(InsurancePolicyNumbersDocument, { first: 101 });
    expect(tooMany.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it("node(id) of another seller's or another insurer's policy reads null", async () => {
    const { bc2001 } = await fourPolicies();
    const nodeAs = async (client: GraphQLClient) =>
      (await client.data(InsurancePolicyNodeDocument, { id: bc2001 })).node;
    expect(await nodeAs(sellerA)).toBeNull();
    expect(await nodeAs(insurerA)).toBeNull();
    expect(await nodeAs(sellerB)).toMatchObject({
      id: bc2001,
      policyNumber: 'BC-2001',
      seller: { externalRef: 'sell-b' },
    });
    expect(await nodeAs(insurerB)).toEqual(await nodeAs(sellerB));
    expect(await nodeAs(agent)).toEqual(await nodeAs(sellerB));
  });

  it('customers and fraud experts may not list policies', async () => {
    for (const [role, subject] of [
      [Role.CUSTOMER, 'cust-a'],
      [Role.FRAUD_EXPERT, 'expert-1'],
    ] as const) {
      const client = await t.as(role, subject);
      const response = await client.execute(InsurancePolicyNumbersDocument, { first: 10 });
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('an insurer sees the claims on the sellers it insures, and no others', async () => {
    await verifiedPolicy(sellerA);
    const onSellerA = await fileClaim('cust-x', 'sell-a', '2026-06-05', '400.00');
    await fileClaim('cust-y', 'sell-b', '2026-06-05', '400.00');
    expect(await t.runJobs()).toBe(2);

    const claimIds = async (client: GraphQLClient) =>
      (await client.data(ClaimsDocument, { first: 10 })).claims.edges.map((edge) => edge.node.id);
    expect(await claimIds(insurerA)).toEqual([onSellerA]);
    expect(await claimIds(insurerB)).toEqual([]);
  });
});
