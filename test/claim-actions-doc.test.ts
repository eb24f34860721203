import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActingParty, CLAIM_ACTIONS, ClaimAction, statusesOf } from '../src/services/claims/claim-actions';
import { TRANSITIONS } from '../src/services/claims/claim-state-machine';

/**
 * docs/authorization.md shows the claim action table as the code declares it
 * (src/services/claims/claim-actions.ts): this test renders the declaration and compares.
 */

const PARTY_WORDS: Record<ActingParty, string> = {
  [ActingParty.CLAIMANT]: 'the claimant (agents for it)',
  [ActingParty.SELLER_SIDE]: "the claim's seller, or its insurer on the incident day",
  [ActingParty.ASSIGNED_EXPERT]: 'the expert that picked the review',
  [ActingParty.MARKETPLACE]: 'claims staff',
};

function rendered(): string {
  const rows = Object.values(ClaimAction).map((action) => {
    const rule = CLAIM_ACTIONS[action];
    const statuses = statusesOf(rule);
    const requires = [rule.transition && TRANSITIONS[rule.transition].requires, rule.requires]
      .filter(Boolean)
      .join('; ');
    return `| \`${action}\` | \`${rule.mutation}\` | ${rule.roles.join(', ')} | ${PARTY_WORDS[rule.party]} | ${
      statuses ? statuses.join(', ') : 'any'
    } | ${requires || '—'} | ${rule.summary} |`;
  });
  return [
    '| action | mutation | roles | acting party | statuses | also requires | what it does |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

describe('docs/authorization.md', () => {
  it('shows the claim action table as the code declares it', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'authorization.md'), 'utf8');
    const table = doc.split('<!-- claim-actions -->')[1]?.split('<!-- /claim-actions -->')[0] ?? '';
    expect(table.trim(), `docs/authorization.md should show:\n${rendered()}`).toBe(rendered());
  });
});
