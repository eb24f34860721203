import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import type { Viewer } from '../src/auth/viewer';
import { Claim } from '../src/entities/claim.entity';
import { FraudReview, FraudReviewStatus } from '../src/entities/fraud-review.entity';
import { InsuranceProvider } from '../src/entities/insurance-provider.entity';
import { ReviewPriority } from '../src/entities/screening-outcome';
import { localIdOf } from '../src/graphql/global-id';
import { requestContext } from '../src/server/request-context';
import { claimInScope, mayReceive } from '../src/services/claims/claim-visibility';
import { readEventsAfter } from '../src/services/events/claim-event-reader';
import { AddClaimEvidenceDocument, FileClaimDocument } from './__generated__/graphql';
import { claimInput, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * The visibility rule is written once per role, as a query condition and as a check in memory
 * (src/services/claims/claim-visibility.ts): lists, `claim` and replay use the first, live
 * delivery the second, the timeline both. Over claims with every combination of the facts the
 * rule reads (parties, release position, insurer, expert review and its window), each viewer must
 * get exactly the same claims and the same events either way.
 */

let t: TestServer;
const claimIds: number[] = [];

/** Each claim's facts: its insurer, the position it was released from, and its review. */
const FACTS: {
  insurer: string | null;
  releasedFrom: number | null;
  review: { expert: string | null; from: number | null; until: number | null } | null;
}[] = [
  { insurer: null, releasedFrom: null, review: null },
  { insurer: 'ins-a', releasedFrom: null, review: null },
  { insurer: 'ins-a', releasedFrom: 1, review: null },
  { insurer: 'ins-a', releasedFrom: 3, review: null },
  { insurer: 'ins-b', releasedFrom: 2, review: null },
  { insurer: null, releasedFrom: 2, review: { expert: 'expert-1', from: 2, until: 2 } },
  { insurer: null, releasedFrom: null, review: { expert: null, from: null, until: null } },
  { insurer: null, releasedFrom: null, review: { expert: 'expert-1', from: 2, until: null } },
  { insurer: 'ins-b', releasedFrom: 3, review: { expert: 'expert-2', from: 1, until: 3 } },
  { insurer: null, releasedFrom: null, review: { expert: 'expert-2', from: 3, until: 3 } },
];

const VIEWERS: Viewer[] = [
  { role: Role.AGENT, subject: 'agent-1' },
  ...['cust-a', 'cust-b', 'cust-z'].map((subject) => ({ role: Role.CUSTOMER, subject })),
  ...['sell-a', 'sell-b', 'sell-z'].map((subject) => ({ role: Role.SELLER, subject })),
  ...['ins-a', 'ins-b', 'ins-z'].map((subject) => ({ role: Role.INSURER, subject })),
  ...['expert-1', 'expert-2', 'expert-z'].map((subject) => ({ role: Role.FRAUD_EXPERT, subject })),
];

beforeAll(async () => {
  t = await startTestServer();
  const { orders } = await seedMarketplace(t);
  const agent = await t.agent();
  // Two claims on each order (one per kind of loss), three events each: filed, then two evidence additions.
  for (const order of Object.values(orders)) {
    for (const kind of ['PROPERTY_DAMAGE', 'PERSONAL_INJURY'] as const) {
      const injuryDetails =
        kind === 'PERSONAL_INJURY' ? { description: 'A burn', medicallyTreated: false } : null;
      const { fileClaim } = await agent.data(FileClaimDocument, {
        input: claimInput(order.id, { kinds: [kind], injuryDetails }),
      });
      const claimId = fileClaim.claim!.id;
      for (const n of [1, 2]) {
        const { addClaimEvidence } = await agent.data(AddClaimEvidenceDocument, {
          input: {
            claimId,
            evidence: [
              {
                kind: 'PHOTO',
                description: `photo ${n}`,
                contentHash: `sha256:${String(claimIds.length * 10 + n).padStart(64, '0')}`,
                uri: `https://files.example.com/${claimIds.length}-${n}.jpg`,
              },
            ],
          },
        });
        expect(addClaimEvidence.userErrors).toEqual([]);
      }
      claimIds.push(localIdOf(claimId, 'Claim')!);
    }
  }
  const em = t.orm.em.fork();
  const providers = new Map(
    ['ins-a', 'ins-b'].map((ref) => [ref, em.create(InsuranceProvider, { externalRef: ref, name: ref })]),
  );
  for (const [index, facts] of FACTS.entries()) {
    const claim = await em.findOneOrFail(Claim, claimIds[index]);
    claim.insurer = facts.insurer ? providers.get(facts.insurer)! : null;
    claim.releasedFromSequence = facts.releasedFrom;
    if (facts.review) {
      em.create(FraudReview, {
        claim,
        status: facts.review.expert ? FraudReviewStatus.IN_REVIEW : FraudReviewStatus.QUEUED,
        priority: ReviewPriority.NORMAL,
        riskScore: 40,
        referredAt: t.clock.now(),
        expertSubject: facts.review.expert,
        assignedFromSequence: facts.review.from,
        assignedUntilSequence: facts.review.until,
      });
    }
  }
  await em.flush();
});

afterAll(async () => {
  await t?.stop();
});

function contextOf(viewer: Viewer) {
  return requestContext(t.orm, t.server.services, { viewer });
}

describe('the visibility rule, as a query and in memory', () => {
  it.each(VIEWERS.map((viewer) => [`${viewer.role} ${viewer.subject}`, viewer] as const))(
    'gives %s the same claims either way',
    async (_name, viewer) => {
      const ctx = contextOf(viewer);
      const where = await t.server.services.claimAccess.visibleClaimsFilter(ctx);
      const byQuery = (await ctx.em.find(Claim, { $and: [where, { id: { $in: claimIds } }] })).map(
        (claim) => claim.id,
      );
      const inMemory: number[] = [];
      for (const claim of await ctx.em.find(Claim, { id: { $in: claimIds } })) {
        if (claimInScope(viewer, await t.server.services.claimAccess.audienceOf(ctx, claim))) {
          inMemory.push(claim.id);
        }
      }
      expect(byQuery.sort((a, b) => a - b)).toEqual(inMemory.sort((a, b) => a - b));
    },
  );

  it.each(VIEWERS.map((viewer) => [`${viewer.role} ${viewer.subject}`, viewer] as const))(
    'gives %s the same events live, in replay and in the timeline',
    async (_name, viewer) => {
      const ctx = contextOf(viewer);
      const all = (await readEventsAfter(t.orm.em.fork(), '0', 10_000)).filter((event) =>
        claimIds.includes(event.claimId),
      );
      const live = all.filter((event) => mayReceive(viewer, event.audience, event.sequence));
      const where = await t.server.services.claimAccess.visibleClaimsFilter(ctx);
      const replay = (await readEventsAfter(t.orm.em.fork(), '0', 10_000, where)).filter(
        (event) => claimIds.includes(event.claimId) && mayReceive(viewer, event.audience, event.sequence),
      );
      const timeline: string[] = [];
      for (const claim of await ctx.em.find(Claim, { $and: [where, { id: { $in: claimIds } }] })) {
        for (const event of await t.server.services.claimAccess.timelineFor(ctx, claim)) {
          timeline.push(`${claim.id}:${event.sequence}`);
        }
      }
      const keys = (events: typeof all) => events.map((event) => `${event.claimId}:${event.sequence}`);
      expect(keys(replay)).toEqual(keys(live));
      expect(timeline.sort()).toEqual(keys(live).sort());
    },
  );

  it('lets each role see what the product promises of these claims', async () => {
    const count = async (viewer: Viewer) => {
      const ctx = contextOf(viewer);
      const where = await t.server.services.claimAccess.visibleClaimsFilter(ctx);
      return ctx.em.count(Claim, { $and: [where, { id: { $in: claimIds } }] });
    };
    // Agents all ten; each customer its own (claims 0–5 are cust-a's, on three orders).
    expect(await count(VIEWERS[0])).toBe(10);
    expect(await count({ role: Role.CUSTOMER, subject: 'cust-a' })).toBe(6);
    // The insurer sees the released claims it insures: claims 2, 3 (ins-a), 4 and 8 (ins-b).
    expect(await count({ role: Role.INSURER, subject: 'ins-a' })).toBe(2);
    expect(await count({ role: Role.INSURER, subject: 'ins-b' })).toBe(2);
    // The expert sees the claims whose review it picked: 5 and 7 for expert-1, 8 and 9 for expert-2.
    expect(await count({ role: Role.FRAUD_EXPERT, subject: 'expert-1' })).toBe(2);
    expect(await count({ role: Role.FRAUD_EXPERT, subject: 'expert-2' })).toBe(2);
    expect(await count({ role: Role.FRAUD_EXPERT, subject: 'expert-z' })).toBe(0);
  });

  it('opens the windows of events the product promises', async () => {
    const all = (await readEventsAfter(t.orm.em.fork(), '0', 10_000)).filter((event) =>
      claimIds.includes(event.claimId),
    );
    const seenBy = (role: Role, subject: string) =>
      all
        .filter((event) => mayReceive({ role, subject }, event.audience, event.sequence))
        .map((event) => `${claimIds.indexOf(event.claimId)}:${event.sequence}`);
    // Claims are numbered as filed: 0, 1 on sell-a, 2, 3 on sell-b, 4, 5 on sell-a (cust-a); 6, 7 on
    // sell-a, 8, 9 on sell-b (cust-b). Each has events 1 to 3.
    expect(seenBy(Role.CUSTOMER, 'cust-a')).toHaveLength(18);
    // The seller side: from the release position on.
    expect(seenBy(Role.SELLER, 'sell-a')).toEqual(['4:2', '4:3', '5:2', '5:3']);
    expect(seenBy(Role.SELLER, 'sell-b')).toEqual(['2:1', '2:2', '2:3', '3:3', '8:3']);
    expect(seenBy(Role.INSURER, 'ins-a')).toEqual(['2:1', '2:2', '2:3', '3:3']);
    expect(seenBy(Role.INSURER, 'ins-b')).toEqual(['4:2', '4:3', '8:3']);
    // The expert: from its pick to its finding, or on while the review is open.
    expect(seenBy(Role.FRAUD_EXPERT, 'expert-1')).toEqual(['5:2', '7:2', '7:3']);
    expect(seenBy(Role.FRAUD_EXPERT, 'expert-2')).toEqual(['8:1', '8:2', '8:3', '9:3']);
  });
});
