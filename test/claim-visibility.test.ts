import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { toGlobalId } from '../src/graphql/global-id';
import {
  type ClaimDetailsFragment,
  ClaimDocument,
  ClaimNodeDocument,
  ClaimsDocument,
  type FileClaimInput,
  FileClaimDocument,
  RecordOrderDocument,
  TrackingClaimNodeDetailedDocument,
  TrackingClaimsDetailedDocument,
  UpsertSellerDocument,
} from './__generated__/graphql';
import type { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import {
  claimInput,
  insureSeller,
  type Marketplace,
  RELEASE_MESSAGE,
  releaseToSeller,
  seedMarketplace,
} from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Who sees which claims, and which parts of them. Claims are filed through fileClaim; the fixtures
 * release a claim to its seller side directly, so that what each party sees does not depend on
 * what screening would decide.
 */

let t: TestServer;
let market: Marketplace;

/** A string that must never reach a seller or an insurer: it sits in every medical field. */
const CANARY = 'canary-9f41c2-medical';

/** Every claim filed in this file, so "sees all" can be checked whichever tests ran before. */
const allClaims: string[] = [];

/** The claims of the shared scenario, filed once before the tests. */
let claims: {
  /** cust-a on ord-a1 (sell-a): property damage and injury, with a medical record; released. */
  injury: ClaimDetailsFragment;
  /** cust-a on ord-a2 (sell-b): released. */
  aOnSellerB: ClaimDetailsFragment;
  /** cust-a on ord-a3 (sell-a): never released. */
  aUnreleased: ClaimDetailsFragment;
  /** cust-b on ord-b1 (sell-a), filed by an agent on the customer's behalf: released. */
  bByAgent: ClaimDetailsFragment;
  /** cust-b on ord-b2 (sell-b): never released. */
  bOnSellerB: ClaimDetailsFragment;
};

async function fileClaim(client: GraphQLClient, input: FileClaimInput): Promise<ClaimDetailsFragment> {
  const { fileClaim: payload } = await client.data(FileClaimDocument, { input });
  expect(payload.userErrors).toEqual([]);
  allClaims.push(payload.claim!.id);
  return payload.claim!;
}

/** The event of the fixture's release, the first the seller side sees of a claim filed just before. */
function releaseEvent() {
  return {
    id: expect.any(String),
    sequence: 2,
    type: 'SELLER_NOTIFIED',
    actorRole: 'SYSTEM',
    fromStatus: null,
    toStatus: null,
    message: RELEASE_MESSAGE,
    occurredAt: t.clock.now().toISOString(),
  };
}

/** The ids of every claim the client can list, and the total the server reports. */
async function listedBy(client: GraphQLClient): Promise<{ ids: string[]; totalCount: number }> {
  const { claims: page } = await client.data(ClaimsDocument, { first: 100 });
  return { ids: page.edges.map((edge) => edge.node.id), totalCount: page.totalCount };
}

/** What a caller gets for a claim it may not see: nothing, and no error to tell it apart. */
async function expectInvisible(client: GraphQLClient, claimId: string): Promise<void> {
  expect(await client.execute(ClaimDocument, { id: claimId })).toEqual({
    status: 200,
    data: { claim: null },
    extensions: expect.anything(),
  });
  expect(await client.execute(ClaimNodeDocument, { id: claimId })).toEqual({
    status: 200,
    data: { node: null },
    extensions: expect.anything(),
  });
}

/** The claim as `client` reads it through claim(id), failing on any top-level error. */
async function readClaim(client: GraphQLClient, claimId: string): Promise<ClaimDetailsFragment | null> {
  return (await client.data(ClaimDocument, { id: claimId })).claim;
}

/** Records an order of a new seller, so a test can start from a seller with no claims at all. */
async function orderFromNewSeller(sellerRef: string, customerRef: string): Promise<string> {
  const agent = await t.agent();
  await agent.data(UpsertSellerDocument, {
    input: { externalRef: sellerRef, name: `Seller ${sellerRef}`, contactEmail: `${sellerRef}@example.com` },
  });
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-${sellerRef}`,
      customerRef,
      sellerRef,
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
    },
  });
  expect(recordOrder.userErrors).toEqual([]);
  return recordOrder.order!.id;
}

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  const custA = await t.as(Role.CUSTOMER, 'cust-a');
  const custB = await t.as(Role.CUSTOMER, 'cust-b');
  const agent = await t.agent();
  claims = {
    injury: await fileClaim(
      custA,
      claimInput(market.orders['ord-a1'].id, {
        kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
        injuryDetails: {
          description: `Second-degree burn on the left hand (${CANARY} description)`,
          medicallyTreated: true,
          treatmentDetails: `Dressed at the emergency department (${CANARY} treatment)`,
        },
        evidence: [
          {
            kind: 'PHOTO',
            description: 'Scorched floor under the heater',
            contentHash: `sha256:${'1'.repeat(64)}`,
            uri: 'https://files.example.com/floor.jpg',
          },
          {
            kind: 'MEDICAL_RECORD',
            description: `Discharge letter (${CANARY} record)`,
            contentHash: `sha256:${'2'.repeat(64)}`,
            uri: `https://records.example.com/${CANARY}.pdf`,
          },
        ],
      }),
    ),
    aOnSellerB: await fileClaim(custA, claimInput(market.orders['ord-a2'].id)),
    aUnreleased: await fileClaim(custA, claimInput(market.orders['ord-a3'].id)),
    bByAgent: await fileClaim(agent, claimInput(market.orders['ord-b1'].id)),
    bOnSellerB: await fileClaim(custB, claimInput(market.orders['ord-b2'].id)),
  };
  // sell-a is insured on the incident day, so ins-a becomes the insurer of its claims as they are released.
  await insureSeller(t, 'sell-a', 'ins-a');
  for (const claim of [claims.injury, claims.aOnSellerB, claims.bByAgent]) await releaseToSeller(t, claim.id);
  // As they read now, released ones with their release event.
  for (const [name, claim] of Object.entries(claims)) {
    claims[name as keyof typeof claims] = (await readClaim(agent, claim.id))!;
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('CUSTOMER', () => {
  it('lists only its own claims, and the total counts only those', async () => {
    const custB = await t.as(Role.CUSTOMER, 'cust-b');
    expect(await listedBy(custB)).toEqual({
      ids: [claims.bOnSellerB.id, claims.bByAgent.id],
      totalCount: 2,
    });
  });

  it('reads its own claim in full, through claim(id) and node(id)', async () => {
    const custA = await t.as(Role.CUSTOMER, 'cust-a');
    expect(await readClaim(custA, claims.aOnSellerB.id)).toEqual(claims.aOnSellerB);
    expect(await custA.data(ClaimNodeDocument, { id: claims.aOnSellerB.id })).toEqual({
      node: { id: claims.aOnSellerB.id, number: claims.aOnSellerB.number, status: 'SUBMITTED' },
    });
  });

  it("gets null, not FORBIDDEN, for another customer's claim", async () => {
    const custB = await t.as(Role.CUSTOMER, 'cust-b');
    await expectInvisible(custB, claims.injury.id);
    await expectInvisible(custB, claims.aUnreleased.id);
  });

  it('does not see a claim an agent filed for another customer', async () => {
    const custA = await t.as(Role.CUSTOMER, 'cust-a');
    await expectInvisible(custA, claims.bByAgent.id);
  });
});

describe('SELLER', () => {
  it('sees a claim against it only once it has passed screening', async () => {
    const orderId = await orderFromNewSeller('sell-c', 'cust-a');
    const claim = await fileClaim(await t.as(Role.CUSTOMER, 'cust-a'), claimInput(orderId));
    const seller = await t.as(Role.SELLER, 'sell-c');

    expect(await listedBy(seller)).toEqual({ ids: [], totalCount: 0 });
    await expectInvisible(seller, claim.id);

    await releaseToSeller(t, claim.id);
    expect(await listedBy(seller)).toEqual({ ids: [claim.id], totalCount: 1 });
    // The seller side sees the claim's events from its release on: the filing came before.
    expect(await readClaim(seller, claim.id)).toEqual({
      ...claim,
      customer: { ...claim.customer, email: null },
      timeline: [releaseEvent()],
    });
    expect(await seller.data(ClaimNodeDocument, { id: claim.id })).toEqual({
      node: { id: claim.id, number: claim.number, status: 'SUBMITTED' },
    });
  });

  it('lists only its own released claims', async () => {
    const sellerA = await t.as(Role.SELLER, 'sell-a');
    expect(await listedBy(sellerA)).toEqual({ ids: [claims.bByAgent.id, claims.injury.id], totalCount: 2 });
    await expectInvisible(sellerA, claims.aUnreleased.id);
  });

  it('never sees claims against another seller, even released ones', async () => {
    const sellerB = await t.as(Role.SELLER, 'sell-b');
    await expectInvisible(sellerB, claims.injury.id);
    await expectInvisible(sellerB, claims.bByAgent.id);
    // Its own unreleased claim stays hidden too; only the released one is listed.
    expect(await listedBy(sellerB)).toEqual({ ids: [claims.aOnSellerB.id], totalCount: 1 });
  });
});

describe('INSURER', () => {
  it('sees released claims against the sellers it insures, and nothing else', async () => {
    const insurer = await t.as(Role.INSURER, 'ins-a');
    // sell-a is insured by ins-a; sell-b is not.
    expect(await listedBy(insurer)).toEqual({ ids: [claims.bByAgent.id, claims.injury.id], totalCount: 2 });
    expect((await readClaim(insurer, claims.bByAgent.id))?.id).toBe(claims.bByAgent.id);
    // An unreleased claim of an insured seller.
    await expectInvisible(insurer, claims.aUnreleased.id);
    // A released claim of a seller it does not insure.
    await expectInvisible(insurer, claims.aOnSellerB.id);
  });

  it('sees nothing when it insures nobody', async () => {
    const insurer = await t.as(Role.INSURER, 'ins-nobody');
    expect(await listedBy(insurer)).toEqual({ ids: [], totalCount: 0 });
    await expectInvisible(insurer, claims.injury.id);
  });
});

describe('AGENT and FRAUD_EXPERT', () => {
  it('AGENT sees every claim', async () => {
    const agent = await t.agent();
    const listed = await listedBy(agent);
    expect(listed.totalCount).toBe(allClaims.length);
    expect([...listed.ids].sort()).toEqual([...allClaims].sort());
    expect(await readClaim(agent, claims.aUnreleased.id)).toEqual(claims.aUnreleased);
  });

  it('FRAUD_EXPERT sees no claim until screening refers one to it', async () => {
    const expert = await t.as(Role.FRAUD_EXPERT, 'expert-1');
    expect(await listedBy(expert)).toEqual({ ids: [], totalCount: 0 });
    await expectInvisible(expert, claims.injury.id);
    await expectInvisible(expert, claims.bByAgent.id);
  });
});

describe('guessed and malformed ids', () => {
  const guesses: [string, () => string][] = [
    ['a random string', () => 'not-a-claim-id'],
    ['a string that is not base64url', () => 'Claim:1 OR 1=1'],
    ['the empty string', () => ''],
    ["another type's global id (an Order)", () => market.orders['ord-a1'].id],
    ['a Claim id that does not exist', () => toGlobalId('Claim', 999_999)],
    ['a Claim id beyond a 32-bit integer', () => toGlobalId('Claim', '2147483648')],
    ['a Claim id beyond a safe integer', () => toGlobalId('Claim', '99999999999999999999')],
    ['a Claim id of zero', () => toGlobalId('Claim', 0)],
    ['a negative Claim id', () => toGlobalId('Claim', -1)],
  ];

  it.each(guesses)('claim(id) with %s is null, without an error', async (_name, guess) => {
    const agent = await t.agent();
    expect(await agent.execute(ClaimDocument, { id: guess() })).toEqual({
      status: 200,
      data: { claim: null },
      extensions: expect.anything(),
    });
  });

  // node(id) of an Order id is the order itself for an agent, so that guess is left out here.
  it.each(guesses.filter(([name]) => !name.includes('Order')))(
    'node(id) with %s is null, without an error',
    async (_name, guess) => {
      const agent = await t.agent();
      expect(await agent.execute(ClaimNodeDocument, { id: guess() })).toEqual({
        status: 200,
        data: { node: null },
        extensions: expect.anything(),
      });
    },
  );
});

describe('personal-injury details and medical evidence', () => {
  const photo = () => claims.injury.evidence.filter((item) => item.kind === 'PHOTO');

  it('are shown in full to the claimant and to agents', async () => {
    const expected = {
      description: `Second-degree burn on the left hand (${CANARY} description)`,
      medicallyTreated: true,
      treatmentDetails: `Dressed at the emergency department (${CANARY} treatment)`,
    };
    expect(claims.injury.injuryDetails).toEqual(expected);
    expect(claims.injury.evidence.map((item) => item.kind)).toEqual(['PHOTO', 'MEDICAL_RECORD']);
    for (const client of [await t.as(Role.CUSTOMER, 'cust-a'), await t.agent()]) {
      expect(await readClaim(client, claims.injury.id)).toEqual(claims.injury);
    }
  });

  it.each([
    [Role.SELLER, 'sell-a'],
    [Role.INSURER, 'ins-a'],
  ])('are withheld from the %s, on every path to the claim', async (role, subject) => {
    const client = await t.as(role, subject);
    const withheld = {
      ...claims.injury,
      injuryDetails: null,
      evidence: photo(),
      customer: { ...claims.injury.customer, email: null },
      // Released after it was filed: the seller side sees no event from before the release.
      timeline: [releaseEvent()],
    };
    const viaClaim = await client.execute(ClaimDocument, { id: claims.injury.id });
    expect(viaClaim.data).toEqual({ claim: withheld });
    const viaNode = await client.execute(TrackingClaimNodeDetailedDocument, { id: claims.injury.id });
    expect(viaNode.data).toEqual({ node: withheld });
    const viaList = await client.execute(TrackingClaimsDetailedDocument, { first: 10 });
    expect(viaList.data?.claims.edges.map((edge) => edge.node)).toContainEqual(withheld);
    // Not in any field, message or error: the whole response is free of medical text.
    for (const response of [viaClaim, viaNode, viaList] as GraphQLResponse<unknown>[]) {
      expect(response.errors).toBeUndefined();
      expect(JSON.stringify(response)).not.toContain(CANARY);
    }
  });

  it('keep PHOTO evidence visible to the seller and the insurer', async () => {
    for (const client of [await t.as(Role.SELLER, 'sell-a'), await t.as(Role.INSURER, 'ins-a')]) {
      expect((await readClaim(client, claims.injury.id))?.evidence).toEqual([
        {
          id: expect.any(String),
          kind: 'PHOTO',
          description: 'Scorched floor under the heater',
          contentHash: `sha256:${'1'.repeat(64)}`,
          uri: 'https://files.example.com/floor.jpg',
          addedByRole: 'CUSTOMER',
        },
      ]);
    }
  });

  it('hide the medical record from the seller through node(id) of the evidence itself', async () => {
    const record = claims.injury.evidence.find((item) => item.kind === 'MEDICAL_RECORD')!;
    const seller = await t.as(Role.SELLER, 'sell-a');
    expect((await seller.data(ClaimNodeDocument, { id: record.id })).node).toBeNull();
    expect((await seller.data(ClaimNodeDocument, { id: photo()[0].id })).node).toEqual({
      id: photo()[0].id,
      kind: 'PHOTO',
    });
    const claimant = await t.as(Role.CUSTOMER, 'cust-a');
    expect((await claimant.data(ClaimNodeDocument, { id: record.id })).node).toEqual({
      id: record.id,
      kind: 'MEDICAL_RECORD',
    });
  });
});

describe("the claimant's email", () => {
  it('is shown to the claimant and to agents, and is null for the seller and the insurer', async () => {
    const email = async (client: GraphQLClient) => (await readClaim(client, claims.bByAgent.id))?.customer;
    const customer = { id: market.customers['cust-b'], name: 'Ben Customer' };
    expect(await email(await t.as(Role.CUSTOMER, 'cust-b'))).toEqual({
      ...customer,
      email: 'cust-b@example.com',
    });
    expect(await email(await t.agent())).toEqual({ ...customer, email: 'cust-b@example.com' });
    expect(await email(await t.as(Role.SELLER, 'sell-a'))).toEqual({ ...customer, email: null });
    expect(await email(await t.as(Role.INSURER, 'ins-a'))).toEqual({ ...customer, email: null });
  });
});

describe('anonymous callers', () => {
  const unauthenticated = (field: string) => [
    {
      message: expect.any(String),
      locations: expect.any(Array),
      path: [field],
      extensions: { code: 'UNAUTHENTICATED' },
    },
  ];

  it('are refused claim(id) with UNAUTHENTICATED', async () => {
    const response = await t.anonymous().execute(ClaimDocument, { id: claims.injury.id });
    expect(response.errors).toEqual(unauthenticated('claim'));
    expect(response.data).toEqual({ claim: null });
  });

  it('are refused claims with UNAUTHENTICATED', async () => {
    const response = await t.anonymous().execute(ClaimsDocument, { first: 10 });
    expect(response.errors).toEqual(unauthenticated('claims'));
    expect(response.data).toBeNull();
  });

  it('are refused node(id) with UNAUTHENTICATED', async () => {
    const response = await t.anonymous().execute(ClaimNodeDocument, { id: claims.injury.id });
    expect(response.errors).toEqual(unauthenticated('node'));
    expect(response.data).toEqual({ node: null });
  });
});

describe('a new claim', () => {
  it('says the marketplace moves next, with no deadline yet', async () => {
    for (const claim of [claims.injury, claims.bByAgent]) {
      expect(claim.status).toBe('SUBMITTED');
      expect(claim.nextStep).toEqual({
        summary: expect.stringMatching(/\S/),
        party: 'MARKETPLACE',
        deadline: null,
      });
    }
  });

  it('has one CLAIM_FILED event, by the customer', async () => {
    expect(claims.injury.timeline.filter((event) => event.type === 'CLAIM_FILED')).toEqual([
      {
        id: expect.any(String),
        sequence: 1,
        type: 'CLAIM_FILED',
        occurredAt: claims.injury.filedAt,
        actorRole: 'CUSTOMER',
        fromStatus: null,
        toStatus: 'SUBMITTED',
        message: expect.stringMatching(/\S/),
      },
    ]);
  });

  it('has one CLAIM_FILED event by an AGENT when an agent filed for the customer', async () => {
    expect(claims.bByAgent.timeline.filter((event) => event.type === 'CLAIM_FILED')).toEqual([
      {
        id: expect.any(String),
        sequence: 1,
        type: 'CLAIM_FILED',
        occurredAt: claims.bByAgent.filedAt,
        actorRole: 'AGENT',
        fromStatus: null,
        toStatus: 'SUBMITTED',
        message: expect.stringMatching(/\S/),
      },
    ]);
    // The claim still belongs to the customer, who sees the same timeline.
    const custB = await t.as(Role.CUSTOMER, 'cust-b');
    expect((await readClaim(custB, claims.bByAgent.id))?.timeline).toEqual(claims.bByAgent.timeline);
  });
});
