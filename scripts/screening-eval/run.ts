/**
 * `npm run eval:screening`: screens a seeded synthetic claim history with the real screening
 * service on a scratch SQLite database and prints, per class of claimant and overall, how many
 * claims were referred or denied (flagged), with precision, recall and the false-referral rate.
 *
 * Claims are filed and screened one at a time in filing order, as in production, so every claim
 * is judged only on the history before it. What happens after screening is simulated: a referral
 * is decided by an expert who knows the truth (fraud is denied, honest claims paid), so that
 * later claims see the denials an honest history would contain.
 *
 * Options: --seed N, --scale F (multiplies the number of claimants), --json, --explain (the
 * signals of the mistakes), --check (exit 1 when a goal is missed).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/orm';
import { ClaimStatus } from '../../src/entities/claim-status';
import { ScreeningOutcome } from '../../src/entities/screening-outcome';
import { ScreeningService } from '../../src/services/screening/screening.service';
import { loadScreeningPolicy } from '../../src/services/screening/screening-policy';
import {
  type ClaimantClass,
  DEFAULT_GENERATOR_OPTIONS,
  generateClaimHistory,
} from './claim-history-generator';
import { recordReferenceData, writeClaim } from './claim-history-writer';

interface Screened {
  label: ClaimantClass;
  outcome: ScreeningOutcome;
  riskScore: number;
  signals: string[];
}

const CLASSES: ClaimantClass[] = ['HONEST', 'OPPORTUNIST', 'RING'];
/** The goals screening is held to. */
const GOALS = { ringFlaggedAtLeast: 0.9, honestReferredAtMost: 0.1 };

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const seed = Number(argument('seed') ?? DEFAULT_GENERATOR_OPTIONS.seed);
  const scale = Number(argument('scale') ?? 1);
  const options = {
    ...DEFAULT_GENERATOR_OPTIONS,
    seed,
    honestClaimants: Math.round(DEFAULT_GENERATOR_OPTIONS.honestClaimants * scale),
    opportunists: Math.round(DEFAULT_GENERATOR_OPTIONS.opportunists * scale),
    rings: Math.round(DEFAULT_GENERATOR_OPTIONS.rings * scale),
  };
  const history = generateClaimHistory(options);
  const policy = loadScreeningPolicy(process.env.SCREENING_POLICY_FILE || undefined);
  const screening = new ScreeningService(policy);

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgraph-eval-'));
  const orm = await openDatabase({ sqlitePath: path.join(directory, 'eval.sqlite') });
  const started = Date.now();
  const results: Screened[] = [];
  try {
    const references = await recordReferenceData(orm.em.fork(), history);
    for (const generated of history.claims) {
      const em = orm.em.fork();
      const result = await em.transactional(async (tx) => {
        const claim = await writeClaim(tx, generated, references);
        const assessment = await screening.screen(tx, claim, generated.filedAt);
        claim.status = settledStatus(assessment.outcome, generated.label);
        return {
          label: generated.label,
          outcome: assessment.outcome,
          riskScore: assessment.riskScore,
          signals: assessment.signals.map((s) => s.code),
        };
      });
      results.push(result);
    }
  } finally {
    await orm.close();
    fs.rmSync(directory, { recursive: true, force: true });
  }
  report(results, {
    seed,
    scale,
    policyVersion: policy.policy.version,
    seconds: (Date.now() - started) / 1000,
  });
}

/** After screening: denials stand; an expert who knows the truth decides referrals. */
function settledStatus(outcome: ScreeningOutcome, label: ClaimantClass): ClaimStatus {
  if (outcome === ScreeningOutcome.DENY) return ClaimStatus.DENIED;
  if (outcome === ScreeningOutcome.REFER) return label === 'HONEST' ? ClaimStatus.PAID : ClaimStatus.DENIED;
  return ClaimStatus.PAID;
}

function report(
  results: Screened[],
  run: { seed: number; scale: number; policyVersion: string; seconds: number },
): void {
  const flagged = (r: Screened) => r.outcome !== ScreeningOutcome.PASS;
  const byClass = new Map(CLASSES.map((label) => [label, results.filter((r) => r.label === label)]));
  const honestFlagged = byClass.get('HONEST')!.filter(flagged).length;
  const rows = CLASSES.map((label) => {
    const claims = byClass.get(label)!;
    const referred = claims.filter((r) => r.outcome === ScreeningOutcome.REFER).length;
    const denied = claims.filter((r) => r.outcome === ScreeningOutcome.DENY).length;
    const hits = referred + denied;
    return {
      class: label,
      claims: claims.length,
      passed: claims.length - hits,
      referred,
      denied,
      flaggedShare: ratio(hits, claims.length),
      // Against honest claims only: of the flagged claims of this class and the honest ones, the share of this class.
      precision: label === 'HONEST' ? null : ratio(hits, hits + honestFlagged),
      recall: label === 'HONEST' ? null : ratio(hits, claims.length),
      falseReferralRate: label === 'HONEST' ? ratio(hits, claims.length) : null,
    };
  });
  const fraud = results.filter((r) => r.label !== 'HONEST');
  const fraudFlagged = fraud.filter(flagged).length;
  const overall = {
    claims: results.length,
    precision: ratio(fraudFlagged, fraudFlagged + honestFlagged),
    recall: ratio(fraudFlagged, fraud.length),
    falseReferralRate: ratio(honestFlagged, byClass.get('HONEST')!.length),
  };
  const ring = rows.find((row) => row.class === 'RING')!;
  const goals = {
    ringFlagged: {
      measured: ring.recall,
      goal: `>= ${pct(GOALS.ringFlaggedAtLeast)}`,
      met: (ring.recall ?? 0) >= GOALS.ringFlaggedAtLeast,
    },
    honestReferred: {
      measured: overall.falseReferralRate,
      goal: `<= ${pct(GOALS.honestReferredAtMost)}`,
      met: overall.falseReferralRate <= GOALS.honestReferredAtMost,
    },
  };
  const signalShare = CLASSES.map((label) => {
    const claims = byClass.get(label)!;
    const counts = new Map<string, number>();
    for (const r of claims) for (const code of r.signals) counts.set(code, (counts.get(code) ?? 0) + 1);
    return {
      class: label,
      signals: Object.fromEntries(
        [...counts]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([code, n]) => [code, ratio(n, claims.length)]),
      ),
    };
  });

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ run, rows, overall, goals, signalShare }, null, 2));
    return;
  }
  console.log(
    `screening evaluation — seed ${run.seed}, scale ${run.scale}, policy ${run.policyVersion}, ${results.length} claims screened in ${run.seconds.toFixed(1)} s\n`,
  );
  console.log(
    table(
      [
        'class',
        'claims',
        'passed',
        'referred',
        'denied',
        'flagged',
        'precision',
        'recall',
        'false referrals',
      ],
      [
        ...rows.map((row) => [
          row.class,
          row.claims,
          row.passed,
          row.referred,
          row.denied,
          pct(row.flaggedShare),
          pctOrDash(row.precision),
          pctOrDash(row.recall),
          pctOrDash(row.falseReferralRate),
        ]),
        [
          'overall',
          overall.claims,
          '',
          '',
          '',
          '',
          pct(overall.precision),
          pct(overall.recall),
          pct(overall.falseReferralRate),
        ],
      ],
    ),
  );
  console.log(
    '\nprecision: flagged claims of the class (or of all fraud, overall) among those plus the flagged honest claims',
  );
  console.log(
    'recall: share of the class referred or denied; false referrals: share of honest claims referred or denied\n',
  );
  console.log(
    `goal: ring fraud referred or denied ${goals.ringFlagged.goal}: ${pct(ring.recall ?? 0)} ${goals.ringFlagged.met ? 'met' : 'MISSED'}`,
  );
  console.log(
    `goal: honest claims referred ${goals.honestReferred.goal}: ${pct(overall.falseReferralRate)} ${goals.honestReferred.met ? 'met' : 'MISSED'}\n`,
  );
  console.log("signals: share of each class's claims on which each signal fired");
  const codes = [...new Set(signalShare.flatMap((s) => Object.keys(s.signals)))].sort();
  console.log(
    table(
      ['signal', ...CLASSES],
      codes.map((code) => [code, ...signalShare.map((s) => pct(s.signals[code] ?? 0))]),
    ),
  );
  if (process.argv.includes('--explain')) {
    // What the mistakes had in common: the signal sets of passed fraud and of flagged honest claims.
    const combos = (claims: Screened[]) => {
      const counts = new Map<string, number>();
      for (const r of claims) {
        const key = `${r.label}: ${r.signals.filter((code) => code !== 'PRODUCT_CLAIM_CLUSTER').join(' + ') || '(none)'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([key, n]) => [key, n]);
    };
    console.log('\nfraud that passed, by signals:');
    console.log(table(['signals', 'claims'], combos(fraud.filter((r) => !flagged(r)))));
    console.log('\nhonest claims flagged, by signals:');
    console.log(table(['signals', 'claims'], combos(byClass.get('HONEST')!.filter(flagged))));
  }
  if (process.argv.includes('--check') && !(goals.ringFlagged.met && goals.honestReferred.met))
    process.exitCode = 1;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function pctOrDash(value: number | null): string {
  return value === null ? '–' : pct(value);
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
