import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role } from '../src/auth/role';
import { issueToken } from '../src/auth/token-issuer';
import { SensitiveDataAccess } from '../src/entities/sensitive-data-access.entity';
import {
  FileClaimDocument,
  MedicalListDocument,
  MedicalViewDocument,
  RecordOrderDocument,
  SensitiveDataAccessesDocument,
} from './__generated__/graphql';
import { claimInput, establishedCustomer, seedMarketplace } from './support/fixtures';
import { startTestServer, TEST_NOW, type TestServer } from './support/test-server';
import { sleep } from './support/waiting';

let t: TestServer;
let orders = 0;

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

/** A personal-injury claim, with a medical record, of a new customer; returns its id and claimant. */
async function injuryClaim(): Promise<{ claimId: string; customerRef: string }> {
  orders += 1;
  const customerRef = `cust-injured-${orders}`;
  await establishedCustomer(t, customerRef);
  const agent = await t.agent();
  const { recordOrder } = await agent.data(RecordOrderDocument, {
    input: {
      externalRef: `ord-injury-${orders}`,
      customerRef,
      sellerRef: 'sell-a',
      productRef: 'prod-heater',
      quantity: 1,
      price: { amount: '89.99', currencyCode: 'USD' },
      purchasedAt: '2026-05-01T10:00:00.000Z',
      deliveredAt: '2026-05-04T15:00:00.000Z',
    },
  });
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(recordOrder.order!.id, {
      kinds: ['PERSONAL_INJURY'],
      injuryDetails: { description: 'Second-degree burns on the left forearm', medicallyTreated: true },
      evidence: [
        {
          kind: 'MEDICAL_RECORD',
          description: 'Discharge letter',
          contentHash: `sha256:${String(orders).padStart(64, '0')}`,
          uri: 'https://files.example.com/er.pdf',
        },
      ],
    }),
  });
  return { claimId: fileClaim.claim!.id, customerRef };
}

async function auditOf(claimId: string) {
  const { sensitiveDataAccesses } = await (
    await t.agent()
  ).data(SensitiveDataAccessesDocument, { first: 100, claimId });
  return sensitiveDataAccesses.edges.map(({ node }) => node);
}

/** Rows written so far, counted in the database: reading the audit through the API is itself not audited. */
async function auditRows(): Promise<number> {
  return t.orm.em.fork().count(SensitiveDataAccess, {});
}

describe('reads of medical information are audited', () => {
  it('the claimant reads its own unrecorded; an agent reading injury details and medical records is recorded, each time', async () => {
    const { claimId, customerRef } = await injuryClaim();
    const claimant = await t.as(Role.CUSTOMER, customerRef);
    const before = await auditRows();
    const own = await claimant.data(MedicalViewDocument, { id: claimId });
    expect(own.claim?.injuryDetails?.description).toBe('Second-degree burns on the left forearm');
    expect(await auditRows()).toBe(before);

    const agent = await t.as(Role.AGENT, 'agent-reader');
    await agent.data(MedicalViewDocument, { id: claimId });
    await agent.data(MedicalViewDocument, { id: claimId });
    const rows = (await auditOf(claimId)).map(({ kind, viewerRole, viewerSubject, accessedAt, claim }) => [
      kind,
      viewerRole,
      viewerSubject,
      accessedAt,
      claim.id,
    ]);
    const read = (kind: string) => [kind, 'AGENT', 'agent-reader', TEST_NOW.toISOString(), claimId];
    expect(rows.sort((a, b) => String(a).localeCompare(String(b)))).toEqual([
      read('INJURY_DETAILS'),
      read('INJURY_DETAILS'),
      read('MEDICAL_RECORD'),
      read('MEDICAL_RECORD'),
    ]);
  });

  it('whoever is refused the data leaves no record; a page of claims is recorded claim by claim', async () => {
    const { claimId } = await injuryClaim();
    await t.runJobs();
    const before = await auditRows();
    const seller = await t.as(Role.SELLER, 'sell-a');
    const seen = await seller.data(MedicalViewDocument, { id: claimId });
    expect(seen.claim === null || seen.claim.injuryDetails === null).toBe(true);
    expect(await auditRows()).toBe(before);

    const listing = await (await t.as(Role.AGENT, 'agent-lister')).data(MedicalListDocument, { first: 100 });
    const withDetails = listing.claims.edges.filter(({ node }) => node.injuryDetails !== null).length;
    expect(withDetails).toBeGreaterThanOrEqual(2);
    const { sensitiveDataAccesses } = await (
      await t.agent()
    ).data(SensitiveDataAccessesDocument, { first: 100, viewerSubject: 'agent-lister' });
    expect(sensitiveDataAccesses.totalCount).toBe(withDetails);
    expect(new Set(sensitiveDataAccesses.edges.map(({ node }) => node.claim.id)).size).toBe(withDetails);
  });

  it('a subscription delivering injury details to an agent is recorded too', async () => {
    const { claimId } = await injuryClaim();
    const token = await issueToken(t.config.auth.jwtSecret!, { role: Role.AGENT, subject: 'agent-streamer' });
    const client = createClient({
      url: t.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const received: string[] = [];
    const stop = client.subscribe(
      {
        query:
          'subscription($id: ID) { claimStatusChanged(claimId: $id) { toStatus claim { injuryDetails { description } } } }',
        variables: { id: claimId },
      },
      {
        next: (result) => received.push(JSON.stringify(result.data)),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await sleep(200);
      await t.runJobs();
      const deadline = Date.now() + 5000;
      while (received.length === 0 && Date.now() < deadline) await sleep(20);
      expect(received.join('')).toContain('Second-degree burns');
      // One delivery a status change: wait until they stop, so that none arrives (with its record
      // written just before) between reading the record and counting the deliveries.
      for (let seen = -1; seen !== received.length;) {
        seen = received.length;
        await sleep(300);
      }
      const delivered = received.length;
      const rows = (await auditOf(claimId)).filter((row) => row.viewerSubject === 'agent-streamer');
      expect(rows.map((row) => row.kind)).toEqual(Array.from({ length: delivered }, () => 'INJURY_DETAILS'));
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('the record is for agents only, newest first, paged', async () => {
    for (const role of [Role.CUSTOMER, Role.SELLER, Role.INSURER, Role.FRAUD_EXPERT]) {
      const response = await (
        await t.as(role, 'someone')
      ).execute(SensitiveDataAccessesDocument, { first: 10 });
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(
      (await t.anonymous().execute(SensitiveDataAccessesDocument, { first: 10 })).errors?.[0]?.extensions
        ?.code,
    ).toBe('UNAUTHENTICATED');
    const agent = await t.agent();
    const first = await agent.data(SensitiveDataAccessesDocument, { first: 2 });
    const rest = await agent.data(SensitiveDataAccessesDocument, {
      first: 100,
      after: first.sensitiveDataAccesses.pageInfo.endCursor,
    });
    expect(first.sensitiveDataAccesses.edges.length + rest.sensitiveDataAccesses.edges.length).toBe(
      first.sensitiveDataAccesses.totalCount,
    );
  });
});
