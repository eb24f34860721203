import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { ClaimScreening } from '../src/entities/claim-screening.entity';
import { ClaimStatus } from '../src/entities/claim-status';
import { Claim } from '../src/entities/claim.entity';
import { localIdOf } from '../src/graphql/global-id';
import { DEFAULT_SCREENING_POLICY, withDigest } from '../src/services/screening/screening-policy';
import { ScreeningService } from '../src/services/screening/screening.service';
import {
  DEFAULT_GENERATOR_OPTIONS,
  generateClaimHistory,
} from '../scripts/screening-eval/claim-history-generator';
import { recordReferenceData, writeClaim } from '../scripts/screening-eval/claim-history-writer';
import { FileClaimDocument } from './__generated__/graphql';
import { claimInput, establishedCustomer, recordChargerOrder, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Due screenings run in batches: one transaction reads the history of all its claims together.
 * Each claim must get the assessment it would get alone, a batch must cost a fixed number of
 * statements, and two claims of one claimant must never share a batch.
 */
let t: TestServer;
let orders = 0;

beforeAll(async () => {
  t = await startTestServer();
  await seedMarketplace(t);
});

afterAll(async () => {
  await t?.stop();
});

/** A delivered order of `customerRef`'s: a claim on it raises no screening signal of its own. */
function deliveredOrder(customerRef: string): Promise<string> {
  return recordChargerOrder(t, `ord-screen-batch-${++orders}`, customerRef, {
    deliveredAt: '2026-05-06T00:00:00Z',
  });
}

async function fileFor(customerRef: string, orderId?: string): Promise<string> {
  const order = orderId ?? (await deliveredOrder(customerRef));
  const customer = await t.as(Role.CUSTOMER, customerRef);
  const { fileClaim } = await customer.data(FileClaimDocument, {
    input: claimInput(order, { amountClaimed: { amount: '15.00', currencyCode: 'USD' } }),
  });
  if (!fileClaim.claim) throw new Error(JSON.stringify(fileClaim.userErrors));
  return fileClaim.claim.id;
}

async function screeningOf(claimId: string): Promise<{ status: ClaimStatus; signals: string[] }> {
  const em = t.orm.em.fork();
  const id = localIdOf(claimId, 'Claim')!;
  const claim = await em.findOneOrFail(Claim, id);
  const screening = await em.findOneOrFail(ClaimScreening, { claim: id });
  return { status: claim.status, signals: screening.signals.map((signal) => signal.code) };
}

describe('claims screened together', () => {
  it('each get the assessment they would get alone, across every kind of history signal', async () => {
    // A seeded history of honest claimants, opportunists and rings: reused photos, copied
    // descriptions, shared addresses and payout accounts, repeat claimants, a defective product.
    const history = generateClaimHistory({
      ...DEFAULT_GENERATOR_OPTIONS,
      honestClaimants: Math.round(DEFAULT_GENERATOR_OPTIONS.honestClaimants * 0.2),
      opportunists: Math.round(DEFAULT_GENERATOR_OPTIONS.opportunists * 0.2),
      rings: Math.round(DEFAULT_GENERATOR_OPTIONS.rings * 0.2),
    });
    const references = await recordReferenceData(t.orm.em.fork(), history);
    // Settled as an expert knowing the truth would settle them, so that earlier denials and paid
    // claims are part of the history.
    for (const generated of history.claims) {
      const status = generated.label === 'HONEST' ? ClaimStatus.PAID : ClaimStatus.DENIED;
      await t.orm.em.fork().transactional((em) => writeClaim(em, generated, references, status));
    }

    const service = new ScreeningService(withDigest(DEFAULT_SCREENING_POLICY));
    const em = t.orm.em.fork();
    const claims = await em.find(
      Claim,
      { filedBySubject: { $in: history.customers.map((c) => c.ref) } },
      { orderBy: { id: 'asc' } },
    );
    expect(claims).toHaveLength(history.claims.length);
    const signals = new Set<string>();
    for (let start = 0; start < claims.length; start += 50) {
      const batch = claims.slice(start, start + 50);
      const together = await service.assessAll(em, batch);
      for (const claim of batch) {
        const alone = await service.assess(em, claim);
        expect(together.get(claim.id), `claim ${claim.id}`).toEqual(alone);
        for (const signal of alone.signals) signals.add(signal.code);
      }
    }
    // Every fact read from the history was exercised.
    expect([...signals].sort()).toEqual(
      expect.arrayContaining([
        'CLAIMANT_DENIALS',
        'CLAIMANT_VELOCITY',
        'EVIDENCE_REUSED_ACROSS_CUSTOMERS',
        'NEW_CUSTOMER_ACCOUNT',
        'PRODUCT_CLAIM_CLUSTER',
        'SHARED_ADDRESS_ACCOUNTS',
        'SHARED_ADDRESS_CLAIMANTS',
        'SHARED_PAYOUT_DESTINATION',
        'SIMILAR_DESCRIPTION',
      ]),
    );
  });

  it('cost the same statements for three claims as for twelve', async () => {
    const screenAfterFiling = async (count: number) => {
      const claimIds: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const customerRef = `cust-batch-${count}-${i}`;
        await establishedCustomer(t, customerRef);
        claimIds.push(await fileFor(customerRef));
      }
      const statements = await t.countStatements(() => t.runJobs());
      for (const claimId of claimIds) expect((await screeningOf(claimId)).status).toBe(ClaimStatus.PAID);
      return statements;
    };
    // The ledger's accounts are made on first use: the first screening pays for that alone.
    await screenAfterFiling(1);
    const forThree = await screenAfterFiling(3);
    const forTwelve = await screenAfterFiling(12);
    expect(forTwelve).toBe(forThree);
  });

  it('never hold two claims of one claimant: the later one sees what became of the earlier', async () => {
    await establishedCustomer(t, 'cust-repeat');
    const firstOrder = await deliveredOrder('cust-repeat');
    const paid = await fileFor('cust-repeat', firstOrder);
    await t.runJobs();
    expect((await screeningOf(paid)).status).toBe(ClaimStatus.PAID);

    // Both due at once: the repeat on the paid order is denied by the hard rule, and that denial
    // is history for the claim filed after it, which it could not be if they were read together.
    const repeat = await fileFor('cust-repeat', firstOrder);
    const next = await fileFor('cust-repeat');
    await t.runJobs();
    expect(await screeningOf(repeat)).toMatchObject({
      status: ClaimStatus.DENIED,
      signals: expect.arrayContaining(['DUPLICATE_OF_PAID_CLAIM']),
    });
    expect((await screeningOf(next)).signals).toContain('CLAIMANT_DENIALS');
  });
});
