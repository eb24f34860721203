import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { Claim } from '../src/entities/claim.entity';
import { ClaimStatus } from '../src/entities/claim-status';
import { localIdOf, toGlobalId } from '../src/graphql/global-id';
import {
  AddClaimEvidenceDocument,
  type ClaimDetailsFragment,
  ClaimDocument,
  type EvidenceInput,
  FileClaimDocument,
  RecordOrderDocument,
} from './__generated__/graphql';
import type { GraphQLClient } from './support/graphql-client';
import { claimInput, claimTableCounts, releaseToSeller, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * addClaimEvidence: who may add, what a retry does, which inputs are refused, and that the
 * timeline stays gapless when additions race. Each test files its own claim on its own order, so
 * no test depends on another's evidence or events.
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

let orders = 0;

/** A claim by `customerRef` on a new order of its own (one open claim per kind and order). */
async function freshClaim(customerRef = 'cust-a'): Promise<ClaimDetailsFragment> {
  orders += 1;
  const agent = await t.agent();
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-evidence-${orders}`,
      customerRef,
      sellerRef: 'sell-a',
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, { input: claimInput(recordOrder.order!.id) });
  expect(fileClaim.userErrors).toEqual([]);
  return fileClaim.claim!;
}

/** A valid evidence item whose hash is derived from `label`, so labels give distinct items. */
function evidence(label: string, overrides: Partial<EvidenceInput> = {}): EvidenceInput {
  return {
    kind: 'DOCUMENT',
    description: `Document ${label}`,
    contentHash: `sha256:${createHash('sha256').update(label).digest('hex')}`,
    uri: `https://files.example.com/${label}.pdf`,
    ...overrides,
  };
}

/** The item as the API lists it once stored. */
function stored(item: EvidenceInput, addedByRole: 'CUSTOMER' | 'AGENT') {
  return { id: expect.any(String), ...item, addedByRole };
}

/** The timeline entry one successful addition appends. */
function evidenceAdded(sequence: number, actorRole: 'CUSTOMER' | 'AGENT') {
  return {
    id: expect.any(String),
    sequence,
    type: 'EVIDENCE_ADDED',
    occurredAt: t.clock.now().toISOString(),
    actorRole,
    fromStatus: null,
    toStatus: null,
    message: expect.stringMatching(/\S/),
  };
}

async function add(client: GraphQLClient, claimId: string, items: EvidenceInput[]) {
  return (await client.data(AddClaimEvidenceDocument, { input: { claimId, evidence: items } }))
    .addClaimEvidence;
}

async function claimAsAgent(claimId: string): Promise<ClaimDetailsFragment> {
  return (await (await t.agent()).data(ClaimDocument, { id: claimId })).claim!;
}

/**
 * Runs a request that must change nothing (a refusal or a retry) and checks it: no new row in any claim
 * table, and the claim reads exactly as before.
 */
async function expectNothingWritten<T>(claim: ClaimDetailsFragment, request: () => Promise<T>): Promise<T> {
  const before = await claimTableCounts(t);
  const result = await request();
  expect(await claimTableCounts(t)).toEqual(before);
  expect(await claimAsAgent(claim.id)).toEqual(claim);
  return result;
}

/** A payload refusing the input with exactly these userErrors. */
function refused(...userErrors: { field: string[]; code: string }[]) {
  return { claim: null, userErrors: userErrors.map((error) => ({ ...error, message: expect.any(String) })) };
}

describe('adding evidence', () => {
  it('by the claimant: the item is on the claim and the timeline records it as event 2', async () => {
    const claim = await freshClaim();
    const item = evidence('receipt', { kind: 'RECEIPT', description: 'Receipt for the heater' });
    const before = await claimTableCounts(t);
    t.clock.advance(60_000);

    const payload = await add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, [item]);

    const expected = {
      ...claim,
      evidence: [...claim.evidence, stored(item, 'CUSTOMER')],
      timeline: [...claim.timeline, evidenceAdded(2, 'CUSTOMER')],
    };
    expect(payload).toEqual({ claim: expected, userErrors: [] });
    expect(await claimAsAgent(claim.id)).toEqual(expected);
    expect(await claimTableCounts(t)).toEqual({
      ...before,
      claim_evidence: before.claim_evidence + 1,
      claim_event: before.claim_event + 1,
    });
  });

  it('by an agent: recorded as the agent, one event for several items', async () => {
    const claim = await freshClaim();
    const items = [evidence('video', { kind: 'VIDEO' }), evidence('report', { kind: 'EXPERT_REPORT' })];

    const payload = await add(await t.agent(), claim.id, items);

    expect(payload).toEqual({
      claim: {
        ...claim,
        evidence: [...claim.evidence, ...items.map((item) => stored(item, 'AGENT'))],
        timeline: [...claim.timeline, evidenceAdded(2, 'AGENT')],
      },
      userErrors: [],
    });
  });

  it('the same item sent again changes nothing: no new row, no new event', async () => {
    const claim = await freshClaim();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const item = evidence('retried');
    const first = await add(customer, claim.id, [item]);
    expect(first.userErrors).toEqual([]);

    const again = await expectNothingWritten(first.claim!, () => add(customer, claim.id, [item]));
    expect(again).toEqual(first);
    // The item the claim was filed with counts as known too.
    const filedWith = claim.evidence[0];
    const fromFiling = {
      kind: filedWith.kind,
      description: filedWith.description,
      contentHash: filedWith.contentHash,
      uri: filedWith.uri,
    };
    expect(await expectNothingWritten(first.claim!, () => add(customer, claim.id, [fromFiling]))).toEqual(
      first,
    );
  });

  it('a batch of known and new items adds only the new ones, in one event', async () => {
    const claim = await freshClaim();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const known = evidence('known');
    const fresh = evidence('fresh');
    expect((await add(customer, claim.id, [known])).userErrors).toEqual([]);

    const payload = await add(customer, claim.id, [known, fresh]);

    expect(payload).toEqual({
      claim: {
        ...claim,
        evidence: [...claim.evidence, stored(known, 'CUSTOMER'), stored(fresh, 'CUSTOMER')],
        timeline: [...claim.timeline, evidenceAdded(2, 'CUSTOMER'), evidenceAdded(3, 'CUSTOMER')],
      },
      userErrors: [],
    });
  });

  it('accepts 20 items in one request', async () => {
    const claim = await freshClaim();
    const items = Array.from({ length: 20 }, (_, index) => evidence(`twenty-${index}`));
    const payload = await add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, items);
    expect(payload.userErrors).toEqual([]);
    expect(payload.claim!.evidence).toEqual([
      ...claim.evidence,
      ...items.map((item) => stored(item, 'CUSTOMER')),
    ]);
    expect(payload.claim!.timeline.map((event) => event.sequence)).toEqual([1, 2]);
  });
});

describe('refusals, each writing nothing', () => {
  it('the same hash with different content is DUPLICATE_EVIDENCE, and the new item beside it is not added', async () => {
    const claim = await freshClaim();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const original = evidence('original');
    const { claim: withOriginal } = await add(customer, claim.id, [original]);

    const payload = await expectNothingWritten(withOriginal!, () =>
      add(customer, claim.id, [
        { ...original, description: 'Something else entirely' },
        evidence('innocent'),
      ]),
    );

    expect(payload).toEqual(
      refused({ field: ['input', 'evidence', '0', 'contentHash'], code: 'DUPLICATE_EVIDENCE' }),
    );
  });

  it('the same hash twice in one request is DUPLICATE_EVIDENCE', async () => {
    const claim = await freshClaim();
    const item = evidence('twice');
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, [item, { ...item, description: 'Copy' }]),
    );
    expect(payload).toEqual(
      refused({ field: ['input', 'evidence', '1', 'contentHash'], code: 'DUPLICATE_EVIDENCE' }),
    );
  });

  it("another customer's claim is CLAIM_NOT_FOUND, as if it did not exist", async () => {
    const claim = await freshClaim('cust-a');
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-b'), claim.id, [evidence('intruder')]),
    );
    expect(payload).toEqual(refused({ field: ['input', 'claimId'], code: 'CLAIM_NOT_FOUND' }));
  });

  it.each([
    ['an unknown claim', () => toGlobalId('Claim', 999_999)],
    ['not a claim id', () => 'not-a-claim'],
  ])('%s is CLAIM_NOT_FOUND', async (_name, claimId) => {
    const claim = await freshClaim();
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claimId(), [evidence('nowhere')]),
    );
    expect(payload).toEqual(refused({ field: ['input', 'claimId'], code: 'CLAIM_NOT_FOUND' }));
  });

  it.each([
    { caller: 'a SELLER', role: Role.SELLER, subject: 'sell-a', code: 'FORBIDDEN' },
    { caller: 'an INSURER', role: Role.INSURER, subject: 'ins-a', code: 'FORBIDDEN' },
    { caller: 'a FRAUD_EXPERT', role: Role.FRAUD_EXPERT, subject: 'expert-1', code: 'FORBIDDEN' },
    { caller: 'an anonymous caller', role: undefined, subject: undefined, code: 'UNAUTHENTICATED' },
  ])('$caller is refused at the top level with $code', async ({ role, subject, code }) => {
    const filed = await freshClaim();
    // Released, so the seller can see the claim: the refusal is about the role, not visibility.
    await releaseToSeller(t, filed.id);
    const claim = await claimAsAgent(filed.id);
    const client = role ? await t.as(role, subject) : t.anonymous();
    const response = await expectNothingWritten(claim, () =>
      client.execute(AddClaimEvidenceDocument, {
        input: { claimId: claim.id, evidence: [evidence(`by-${role}`)] },
      }),
    );
    expect(response).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message: expect.any(String),
          locations: expect.any(Array),
          path: ['addClaimEvidence'],
          extensions: { code },
        },
      ],
      extensions: expect.anything(),
    });
  });

  it.each([
    ['without the sha256 prefix', 'a'.repeat(64)],
    ['of another algorithm', `md5:${'a'.repeat(32)}`],
    ['one digit short', `sha256:${'a'.repeat(63)}`],
    ['with a non-hex digit', `sha256:${'a'.repeat(63)}g`],
    ['empty', ''],
  ])('a contentHash %s is INVALID_FORMAT', async (_name, contentHash) => {
    const claim = await freshClaim();
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, [
        evidence('fine'),
        evidence('hash', { contentHash }),
      ]),
    );
    expect(payload).toEqual(
      refused({ field: ['input', 'evidence', '1', 'contentHash'], code: 'INVALID_FORMAT' }),
    );
  });

  it.each([
    ['plain http', 'http://files.example.com/photo.jpg'],
    ['ftp', 'ftp://files.example.com/photo.jpg'],
    ['a script', 'javascript:alert(1)'],
    ['not a URL', 'photo.jpg'],
    ['https with credentials', 'https://user:secret@files.example.com/photo.jpg'],
  ])('a uri that is %s is INVALID_FORMAT', async (_name, uri) => {
    const claim = await freshClaim();
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, [evidence('uri', { uri })]),
    );
    expect(payload).toEqual(refused({ field: ['input', 'evidence', '0', 'uri'], code: 'INVALID_FORMAT' }));
  });

  it('an empty list is REQUIRED', async () => {
    const claim = await freshClaim();
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, []),
    );
    expect(payload).toEqual(refused({ field: ['input', 'evidence'], code: 'REQUIRED' }));
  });

  it('21 items are TOO_MANY_ITEMS', async () => {
    const claim = await freshClaim();
    const items = Array.from({ length: 21 }, (_, index) => evidence(`many-${index}`));
    const payload = await expectNothingWritten(claim, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, items),
    );
    expect(payload).toEqual(refused({ field: ['input', 'evidence'], code: 'TOO_MANY_ITEMS' }));
  });

  it('a settled claim refuses new evidence with WRONG_STATUS', async () => {
    const claim = await freshClaim();
    // Settled by a direct write: this test is about evidence, not about how claims settle.
    await t.orm.em
      .fork()
      .nativeUpdate(Claim, { id: localIdOf(claim.id, 'Claim')! }, { status: ClaimStatus.WITHDRAWN });
    const withdrawn = { ...claim, status: 'WITHDRAWN' as const, nextStep: expect.any(Object) };
    const payload = await expectNothingWritten(withdrawn, async () =>
      add(await t.as(Role.CUSTOMER, 'cust-a'), claim.id, [evidence('late')]),
    );
    expect(payload).toEqual(refused({ field: ['input', 'claimId'], code: 'WRONG_STATUS' }));
  });
});

describe('concurrent additions', () => {
  it('ten at once on one claim all succeed, with timeline sequences 1..11 and no gap or repeat', async () => {
    const claim = await freshClaim();
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const items = Array.from({ length: 10 }, (_, index) => evidence(`concurrent-${index}`));

    const responses = await Promise.all(
      items.map((item) =>
        customer.execute(AddClaimEvidenceDocument, { input: { claimId: claim.id, evidence: [item] } }),
      ),
    );

    // Every one answered without a top-level error and without a userError.
    expect(responses.map((response) => response.errors ?? [])).toEqual(items.map(() => []));
    expect(responses.map((response) => response.data?.addClaimEvidence.userErrors)).toEqual(
      items.map(() => []),
    );
    const after = await claimAsAgent(claim.id);
    expect(after.timeline.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(after.timeline.slice(1).map((event) => [event.type, event.actorRole])).toEqual(
      Array.from({ length: 10 }, () => ['EVIDENCE_ADDED', 'CUSTOMER']),
    );
    expect(new Set(after.timeline.map((event) => event.id)).size).toBe(11);
    // Every item landed once, whatever order the additions committed in.
    expect([...after.evidence].sort((a, b) => a.contentHash.localeCompare(b.contentHash))).toEqual(
      [...claim.evidence.map(({ addedByRole: _role, id: _id, ...item }) => item), ...items]
        .map((item) => stored(item, 'CUSTOMER'))
        .sort((a, b) => a.contentHash.localeCompare(b.contentHash)),
    );
  });
});
