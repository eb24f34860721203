import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { createLogger } from '../src/server/logger';
import {
  FileClaimDocument,
  PiiClaimEverywhereDocument,
  RespondToClaimDocument,
} from './__generated__/graphql';
import { CapturedLogs } from './support/captured-logs';
import { claimInput, insureSeller, seedMarketplace } from './support/fixtures';
import { containsCanary, PII_CANARY } from './support/pii-canary';
import { onPostgres } from './support/database';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Medical information marked with the canary: it reaches exactly the viewers allowed to see it,
 * and never a log line or an error message. (Every test server also searches its whole log for the
 * canary when it stops, and every test client every error message: see test/support.)
 */
let t: TestServer;
let claimId: string;

const viewers: { role: Role; subject: string; allowed: boolean; who: string }[] = [
  { role: Role.CUSTOMER, subject: 'cust-a', allowed: true, who: 'the claimant' },
  { role: Role.CUSTOMER, subject: 'cust-b', allowed: false, who: 'another customer' },
  { role: Role.SELLER, subject: 'sell-a', allowed: false, who: 'the seller' },
  { role: Role.SELLER, subject: 'sell-b', allowed: false, who: 'another seller' },
  { role: Role.INSURER, subject: 'ins-a', allowed: false, who: "the seller's insurer before it pays" },
  { role: Role.INSURER, subject: 'ins-b', allowed: false, who: 'another insurer' },
  { role: Role.FRAUD_EXPERT, subject: 'expert-1', allowed: false, who: 'a fraud expert not reviewing it' },
  { role: Role.AGENT, subject: 'agent-1', allowed: true, who: 'an agent' },
];

beforeAll(async () => {
  t = await startTestServer();
  const market = await seedMarketplace(t);
  await insureSeller(t, 'sell-a', 'ins-a');
  await insureSeller(t, 'sell-b', 'ins-b');
  const customer = await t.as(Role.CUSTOMER, 'cust-a');
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(market.orders['ord-a1'].id, {
      kinds: ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'],
      amountClaimed: { amount: '2400.00', currencyCode: 'USD' },
      injuryDetails: {
        description: `${PII_CANARY} burns to the right hand`,
        medicallyTreated: true,
        treatmentDetails: `${PII_CANARY} treated at St Mary's`,
      },
      evidence: [
        {
          kind: 'PHOTO',
          description: 'The heater',
          contentHash: `sha256:${'a'.repeat(64)}`,
          uri: 'https://files.example.com/heater.jpg',
        },
        {
          kind: 'MEDICAL_RECORD',
          description: `${PII_CANARY} discharge letter`,
          contentHash: `sha256:${'b'.repeat(64)}`,
          uri: 'https://files.example.com/er.pdf',
        },
      ],
    }),
  });
  expect(fileClaim.userErrors).toEqual([]);
  claimId = fileClaim.claim!.id;
  await t.runJobs();
});

afterAll(async () => {
  await t?.stop();
});

describe('the injury canary', () => {
  for (const viewer of viewers) {
    it(`${viewer.allowed ? 'reaches' : 'never reaches'} ${viewer.who}, through claim, claims and node`, async () => {
      const client = await t.as(viewer.role, viewer.subject);
      const response = await client.execute(PiiClaimEverywhereDocument, { id: claimId, first: 50 });
      expect(containsCanary(JSON.stringify(response))).toBe(viewer.allowed);
    });
  }

  it('reaches the insurer once it accepted to pay the claim, and still no other insurer', async () => {
    const insurer = await t.as(Role.INSURER, 'ins-a');
    const { respondToClaim } = await insurer.data(RespondToClaimDocument, {
      input: { claimId, response: 'ACCEPT', payer: 'INSURER' },
    });
    expect(respondToClaim.userErrors).toEqual([]);
    expect(
      containsCanary(
        JSON.stringify(await insurer.execute(PiiClaimEverywhereDocument, { id: claimId, first: 50 })),
      ),
    ).toBe(true);
    const other = await t.as(Role.INSURER, 'ins-b');
    expect(
      containsCanary(
        JSON.stringify(await other.execute(PiiClaimEverywhereDocument, { id: claimId, first: 50 })),
      ),
    ).toBe(false);
  });

  it('is not repeated by an error about a value of the wrong type, in variables or in the query text', async () => {
    const customer = await t.as(Role.CUSTOMER, 'cust-a');
    const inVariables = await customer.post({
      query: 'mutation($input: FileClaimInput!) { fileClaim(input: $input) { userErrors { code } } }',
      variables: {
        input: {
          ...claimInput('x'),
          injuryDetails: { description: 42, medicallyTreated: `${PII_CANARY} yes` },
        },
      },
    });
    expect(inVariables.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const inline = await customer.post({
      query: `mutation { fileClaim(input: { orderId: "x", kinds: [PERSONAL_INJURY], incidentDate: "2026-06-01", description: "d",
        amountClaimed: { amount: "1.00", currencyCode: "USD" }, idempotencyKey: "k",
        injuryDetails: { description: "burns", medicallyTreated: "${PII_CANARY} yes" } }) { userErrors { code } } }`,
    });
    expect(inline.status).toBe(400);
    expect(inline.errors?.[0]?.message).toBe('Boolean cannot represent a non boolean value.');
    // The test client would have thrown had either error carried the canary; say it here too.
    expect(containsCanary(JSON.stringify([inVariables, inline]))).toBe(false);
  });

  it('is redacted from logged database errors, which carry the values they failed on', () => {
    const capture = new CapturedLogs();
    const logger = createLogger('debug', capture);
    const failure = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: `Key (description)=(${PII_CANARY} burns) already exists.`,
      params: [`${PII_CANARY} burns`, 42],
      cause: Object.assign(new Error('driver'), { parameters: [`${PII_CANARY} burns`] }),
    });
    logger.error({ err: failure }, 'unexpected error');
    expect(capture.lines).toHaveLength(1);
    expect(capture.lines[0]).toContain('duplicate key value violates unique constraint');
    expect(() => capture.expectNoCanary()).not.toThrow();
  });
});

/** Makes the database refuse every injury-details row, as a failing disk or a broken migration would. */
async function refuseInjuryDetails(server: TestServer): Promise<void> {
  const connection = server.orm.em.getConnection();
  if (onPostgres) {
    await connection.execute(
      `create function refuse_injury_details() returns trigger language plpgsql as $$ begin raise exception 'injury details refused'; end $$`,
    );
    await connection.execute(
      'create trigger refuse_injury_details before insert on claim_injury_details for each row execute function refuse_injury_details()',
    );
  } else {
    await connection.execute(
      `create trigger refuse_injury_details before insert on claim_injury_details begin select raise(abort, 'injury details refused'); end`,
    );
  }
}

describe('an error quoting a statement over several lines', () => {
  it('is logged without its message, whatever error class carries it', () => {
    const capture = new CapturedLogs();
    const logger = createLogger('debug', capture);
    const failure = new Error(
      `select o.id, o.payout_destination\n  from customer_order o\n  where o.note = '${PII_CANARY}' - Client has encountered a connection error`,
    );
    logger.error({ err: failure }, 'unexpected error');
    expect(capture.lines).toHaveLength(1);
    expect(capture.lines[0]).not.toMatch(/customer_order|payout_destination/);
    expect(() => capture.expectNoCanary()).not.toThrow();
  });
});

describe('a database failing a filing', () => {
  it('is logged by its kind and code, without the statement or the values it carried', async () => {
    const failing = await startTestServer();
    try {
      const market = await seedMarketplace(failing);
      await refuseInjuryDetails(failing);
      const customer = await failing.as(Role.CUSTOMER, 'cust-a');
      const response = await customer.execute(FileClaimDocument, {
        input: claimInput(market.orders['ord-a1'].id, {
          kinds: ['PERSONAL_INJURY'],
          injuryDetails: {
            description: `${PII_CANARY} burns to the left arm`,
            medicallyTreated: true,
            treatmentDetails: `${PII_CANARY} dressed at the clinic`,
          },
        }),
      });
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      const failures = failing.logs.lines
        .map(
          (line) =>
            JSON.parse(line) as { msg: string; err?: { type?: string; code?: string; message?: string } },
        )
        .filter((line) => line.err);
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) {
        // Enough to act on: what failed and the database's code for it.
        expect(failure.err).toEqual(
          expect.objectContaining({ type: expect.any(String), code: expect.any(String) }),
        );
      }
      const logged = failing.logs.lines.join('');
      expect(logged).not.toMatch(/insert into|values \(/i);
      expect(containsCanary(logged)).toBe(false);
    } finally {
      await failing.stop();
    }
  });
});
