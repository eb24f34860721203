import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../src/auth/role';
import { insertStatement, runStatementsTogether } from '../src/db/statements-together';
import { ActorRole, ClaimEventType } from '../src/entities/claim-event-type';
import { ClaimEvent } from '../src/entities/claim-event.entity';
import { ClaimEvidence } from '../src/entities/claim-evidence.entity';
import { ClaimScreening } from '../src/entities/claim-screening.entity';
import { ClaimInjuryDetails } from '../src/entities/claim-injury-details.entity';
import { ClaimStatus } from '../src/entities/claim-status';
import { ReviewPriority, ScreeningOutcome } from '../src/entities/screening-outcome';
import { EvidenceKind } from '../src/entities/evidence-kind';
import { JobKind, JobStatus, ScheduledJob } from '../src/entities/scheduled-job.entity';
import { localIdOf } from '../src/graphql/global-id';
import { FileClaimDocument } from './__generated__/graphql';
import { claimInput, type Marketplace, seedMarketplace } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Rows written past the unit of work (a filing's evidence, jobs and bands, every transaction's
 * events) must land exactly as the unit of work would write them: the same columns, dates to the
 * millisecond, text with quotes and backslashes intact, booleans and NULLs as such.
 */
let t: TestServer;
let market: Marketplace;
const claims: number[] = [];

beforeAll(async () => {
  t = await startTestServer();
  market = await seedMarketplace(t);
  for (const [order, customerRef] of [
    ['ord-a1', 'cust-a'],
    ['ord-a2', 'cust-a'],
    ['ord-b1', 'cust-b'],
    ['ord-b2', 'cust-b'],
  ] as const) {
    const customer = await t.as(Role.CUSTOMER, customerRef);
    const { fileClaim } = await customer.data(FileClaimDocument, {
      input: claimInput(market.orders[order].id),
    });
    claims.push(localIdOf(fileClaim.claim!.id, 'Claim')!);
  }
});

afterAll(async () => {
  await t?.stop();
});

/**
 * Writes the rows made by `rowsOn` once through the unit of work, on the first two claims, and
 * once as one statement, on the other two (rows of one claim are unique); answers both, read back
 * without their ids and claims, and the statement's rows' claims and returned ids.
 */
async function writtenBothWays<Entity extends object>(
  entity: new () => Entity,
  rowsOn: (claimIds: readonly number[]) => Record<string, unknown>[],
): Promise<{ unitOfWork: Entity[]; statement: Entity[]; statementClaims: number[]; returnedIds: string[] }> {
  const viaUnitOfWork = await t.orm.em.fork().transactional(async (em) => {
    const made = rowsOn(claims.slice(0, 2)).map((row) => em.create(entity, row as never));
    await em.flush();
    return made.map((row) => (row as { id: number | string }).id);
  });
  const returned = await t.orm.em.fork().transactional(async (em) => {
    return runStatementsTogether(em, [
      insertStatement(em, entity, rowsOn(claims.slice(2, 4)) as never[], { returningIds: true })!,
    ]);
  });
  const returnedIds = returned.map((row) => String(row.id));
  const em = t.orm.em.fork();
  const byIds = (ids: (number | string)[]) =>
    em.find(entity, { id: { $in: ids } }, { orderBy: { id: 'asc' } as never });
  const withoutIdAndClaim = (rows: Entity[]) =>
    rows.map((row) => ({ ...row, id: undefined, claim: undefined }));
  const statement = await byIds(returnedIds);
  return {
    unitOfWork: withoutIdAndClaim(await byIds(viaUnitOfWork)),
    statement: withoutIdAndClaim(statement),
    statementClaims: statement.map((row) => (row as { claim: { id: number } }).claim.id),
    returnedIds,
  };
}

describe('a statement of plain rows', () => {
  it('writes claim events as the unit of work does, and answers their ids in order', async () => {
    const at = new Date('2026-11-30T23:59:59.987Z');
    const message = "it's O'Brien's \\ \"heater\" — ünïcödé; drop table claim;--";
    const written = await writtenBothWays(ClaimEvent, ([first, second]) => [
      {
        claim: first,
        sequence: 101,
        type: ClaimEventType.STATUS_CHANGED,
        occurredAt: at,
        actorRole: ActorRole.SYSTEM,
        actorSubject: null,
        fromStatus: ClaimStatus.SUBMITTED,
        toStatus: ClaimStatus.SCREENING,
        message,
      },
      {
        claim: second,
        sequence: 102,
        type: ClaimEventType.EVIDENCE_ADDED,
        occurredAt: new Date(at.getTime() + 1),
        actorRole: ActorRole.CUSTOMER,
        actorSubject: 'cust-a',
        fromStatus: null,
        toStatus: null,
        message: 'a\nsecond\tline',
      },
    ]);
    expect(written.statement).toEqual(written.unitOfWork);
    expect(
      written.statement.map((event) => [
        event.message,
        event.occurredAt.toISOString(),
        event.actorSubject,
        event.fromStatus,
      ]),
    ).toEqual([
      [message, '2026-11-30T23:59:59.987Z', null, ClaimStatus.SUBMITTED],
      ['a\nsecond\tline', '2026-11-30T23:59:59.988Z', 'cust-a', null],
    ]);
    expect(written.statementClaims).toEqual(claims.slice(2, 4));
    expect(written.returnedIds).toHaveLength(2);
    expect(Number(written.returnedIds[1])).toBeGreaterThan(Number(written.returnedIds[0]));
  });

  it('keeps texts that mean something in an array literal as they are', async () => {
    const at = new Date('2026-12-03T04:05:06.789Z');
    const texts = [
      'NULL',
      '',
      '  padded  ',
      'a,b',
      '{braces}',
      '"quoted"',
      '\\"',
      'back\\slash\\',
      '{"json": [1, 2]}, \'x\'',
    ];
    const written = await writtenBothWays(ClaimEvent, ([first, second]) =>
      texts.map((text, index) => ({
        claim: index % 2 === 0 ? first : second,
        sequence: 200 + index,
        type: ClaimEventType.STATUS_CHANGED,
        occurredAt: at,
        actorRole: ActorRole.CUSTOMER,
        actorSubject: text,
        fromStatus: null,
        toStatus: null,
        message: text,
      })),
    );
    expect(written.statement).toEqual(written.unitOfWork);
    expect(written.statement.map((event) => [event.actorSubject, event.message])).toEqual(
      texts.map((text) => [text, text]),
    );
  });

  it('writes booleans, NULLs and texts as the unit of work does', async () => {
    const written = await writtenBothWays(ClaimInjuryDetails, ([first, second]) => [
      {
        claim: first,
        description: 'burn on the "left" hand \\ 2nd degree',
        medicallyTreated: true,
        treatmentDetails: null,
      },
      { claim: second, description: 'bruise', medicallyTreated: false, treatmentDetails: "GP's note" },
    ]);
    expect(written.statement).toEqual(written.unitOfWork);
    expect(written.statement.map((injury) => [injury.medicallyTreated, injury.treatmentDetails])).toEqual([
      [true, null],
      [false, "GP's note"],
    ]);
  });

  it('writes evidence and jobs as the unit of work does', async () => {
    const at = new Date('2026-12-01T10:11:12.345Z');
    const evidence = await writtenBothWays(ClaimEvidence, ([first, second]) => [
      {
        claim: first,
        kind: EvidenceKind.PHOTO,
        description: 'Scorched floor',
        contentHash: `sha256:${'1'.repeat(64)}`,
        uri: 'https://files.example.com/a.jpg?x=1&y=2',
        addedAt: at,
        addedByRole: ActorRole.CUSTOMER,
      },
      {
        claim: second,
        kind: EvidenceKind.RECEIPT,
        description: "O'Hara's receipt",
        contentHash: `sha256:${'2'.repeat(64)}`,
        uri: 'https://files.example.com/b.pdf',
        addedAt: at,
        addedByRole: ActorRole.AGENT,
      },
    ]);
    expect(evidence.statement).toEqual(evidence.unitOfWork);
    expect(evidence.statement.map((item) => item.description)).toEqual([
      'Scorched floor',
      "O'Hara's receipt",
    ]);
    const jobs = await writtenBothWays(ScheduledJob, ([first, second]) => [
      {
        claim: first,
        kind: JobKind.SELLER_RESPONSE_REMINDER,
        dueAt: at,
        status: JobStatus.PENDING,
        attempts: 0,
        createdAt: at,
      },
      {
        claim: second,
        kind: JobKind.SELLER_RESPONSE_DEADLINE,
        dueAt: new Date(at.getTime() + 86_400_000),
        status: JobStatus.PENDING,
        attempts: 0,
        createdAt: at,
      },
    ]);
    expect(jobs.statement).toEqual(jobs.unitOfWork);
    expect(jobs.statement.map((job) => job.dueAt.toISOString())).toEqual([
      '2026-12-01T10:11:12.345Z',
      '2026-12-02T10:11:12.345Z',
    ]);
  });

  it('writes JSON and nullable enums as the unit of work does', async () => {
    const at = new Date('2026-12-02T08:00:00.001Z');
    const signals = [
      {
        code: 'SIMILAR_DESCRIPTION',
        category: 'CLAIMANT',
        weight: 20,
        evidence: 'matches "claim" CLM-7 — it\'s 91 % alike',
      },
    ];
    const written = await writtenBothWays(ClaimScreening, ([first, second]) => [
      {
        claim: first,
        riskScore: 20,
        outcome: ScreeningOutcome.PASS,
        priority: null,
        signals,
        policyVersion: '2026-12-01.1',
        policyDigest: `sha256:${'a'.repeat(64)}`,
        screenedAt: at,
      },
      {
        claim: second,
        riskScore: 75,
        outcome: ScreeningOutcome.REFER,
        priority: ReviewPriority.HIGH,
        signals: [],
        policyVersion: '2026-12-01.1',
        policyDigest: `sha256:${'b'.repeat(64)}`,
        screenedAt: at,
      },
    ]);
    expect(written.statement).toEqual(written.unitOfWork);
    expect(written.statement.map((screening) => [screening.signals, screening.priority])).toEqual([
      [signals, null],
      [[], ReviewPriority.HIGH],
    ]);
  });

  it('answers no rows unless asked for the ids, and writes the rows all the same', async () => {
    const message = 'written without answering its id';
    const answered = await t.orm.em.fork().transactional((em) =>
      runStatementsTogether(em, [
        insertStatement(em, ClaimEvent, [
          {
            claim: claims[3],
            sequence: 301,
            type: ClaimEventType.STATUS_CHANGED,
            occurredAt: new Date(),
            actorRole: ActorRole.SYSTEM,
            actorSubject: null,
            fromStatus: null,
            toStatus: null,
            message,
          },
        ])!,
      ]),
    );
    expect(answered).toEqual([]);
    expect(await t.orm.em.fork().count(ClaimEvent, { claim: claims[3], sequence: 301, message })).toBe(1);
  });

  it('refuses a property that is not a column of its own', () => {
    const em = t.orm.em.fork();
    expect(() =>
      insertStatement(em, ClaimEvent, [{ claim: claims[0], sequence: 1, unknownProperty: 'x' } as never]),
    ).toThrow('ClaimEvent.unknownProperty cannot be written as a plain row');
  });
});
