import { Migration } from '@mikro-orm/migrations';

const EVENT_TYPES = (types: string[]) => types.map((type) => `'${type}'`).join(', ');
const TYPES_BEFORE = [
  'CLAIM_FILED',
  'EVIDENCE_ADDED',
  'STATUS_CHANGED',
  'SELLER_NOTIFIED',
  'INSURER_NOTIFIED',
  'RESPONSE_REMINDER',
  'PAYOUT_PROMISED',
  'PAYOUT_COMPLETED',
  'RECOVERY_OPENED',
  'RECOVERY_CANCELLED',
  'RECOVERY_COLLECTED',
  'DEFENCE_SUBMITTED',
  'DEFENCE_DECIDED',
];
const TYPES_AFTER = [...TYPES_BEFORE.slice(0, 3), 'EXPERT_ASSIGNED', ...TYPES_BEFORE.slice(3)];
const STATUSES = `'SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED'`;
const COLUMNS_BEFORE = `\`id\`, \`claim_id\`, \`sequence\`, \`type\`, \`occurred_at\`, \`actor_role\`, \`actor_subject\`, \`from_status\`, \`to_status\`, \`message\``;

/** The claim event table with the given event types and, after this migration, the audience texts. */
function eventTable(name: string, types: string[], withTexts: boolean): string {
  const texts = withTexts ? `, \`customer_message\` text null, \`seller_side_message\` text null` : '';
  return `create table \`${name}\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`sequence\` integer not null, \`type\` text check (\`type\` in (${EVENT_TYPES(types)})) not null, \`occurred_at\` datetime not null, \`actor_role\` text check (\`actor_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`actor_subject\` text null, \`from_status\` text check (\`from_status\` in (${STATUSES})) null, \`to_status\` text check (\`to_status\` in (${STATUSES})) null, \`message\` text not null${texts}, constraint \`claim_event_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`;
}

export class Migration20261208002639_EventViewsAndAudienceTexts extends Migration {
  // SQLite cannot change a column's check constraint in place: the event table is rebuilt with
  // the same rows. The positions that open and close views are then derived from the events.
  override async up(): Promise<void> {
    this.addSql(`alter table \`claim\` add column \`released_from_sequence\` integer null;`);
    this.addSql(`alter table \`fraud_review\` add column \`assigned_from_sequence\` integer null;`);
    this.addSql(`alter table \`fraud_review\` add column \`assigned_until_sequence\` integer null;`);
    this.addSql(eventTable('claim_event__texts', TYPES_AFTER, true));
    this.addSql(
      `insert into \`claim_event__texts\` (${COLUMNS_BEFORE}) select ${COLUMNS_BEFORE} from \`claim_event\`;`,
    );
    this.addSql(`drop table \`claim_event\`;`);
    this.addSql(`alter table \`claim_event__texts\` rename to \`claim_event\`;`);
    this.addSql(`create index \`claim_event_claim_id_index\` on \`claim_event\` (\`claim_id\`);`);
    this.addSql(
      `create unique index \`claim_event_claim_id_sequence_unique\` on \`claim_event\` (\`claim_id\`, \`sequence\`);`,
    );
    // The release is the status change into the seller side's first status.
    this.addSql(
      `update \`claim\` set \`released_from_sequence\` = (select min(e.\`sequence\`) from \`claim_event\` e where e.\`claim_id\` = \`claim\`.\`id\` and e.\`type\` = 'STATUS_CHANGED' and e.\`to_status\` in ('APPROVED_CONCESSION', 'AWAITING_SELLER')) where \`released_to_seller_at\` is not null;`,
    );
    // An expert held its review from its pick to its finding (or the withdrawal).
    this.addSql(
      `update \`fraud_review\` set \`assigned_from_sequence\` = (select coalesce(max(e.\`sequence\`), 0) + 1 from \`claim_event\` e where e.\`claim_id\` = \`fraud_review\`.\`claim_id\` and e.\`occurred_at\` < \`fraud_review\`.\`assigned_at\`) where \`assigned_at\` is not null;`,
    );
    this.addSql(
      `update \`fraud_review\` set \`assigned_until_sequence\` = (select max(e.\`sequence\`) from \`claim_event\` e where e.\`claim_id\` = \`fraud_review\`.\`claim_id\` and e.\`occurred_at\` <= coalesce(\`fraud_review\`.\`decided_at\`, (select min(w.\`occurred_at\`) from \`claim_event\` w where w.\`claim_id\` = \`fraud_review\`.\`claim_id\` and w.\`to_status\` = 'WITHDRAWN'))) where \`assigned_at\` is not null and \`status\` in ('DECIDED', 'CANCELLED');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(eventTable('claim_event__plain', TYPES_BEFORE, false));
    this.addSql(
      `insert into \`claim_event__plain\` (${COLUMNS_BEFORE}) select ${COLUMNS_BEFORE} from \`claim_event\` where \`type\` <> 'EXPERT_ASSIGNED';`,
    );
    this.addSql(`drop table \`claim_event\`;`);
    this.addSql(`alter table \`claim_event__plain\` rename to \`claim_event\`;`);
    this.addSql(`create index \`claim_event_claim_id_index\` on \`claim_event\` (\`claim_id\`);`);
    this.addSql(
      `create unique index \`claim_event_claim_id_sequence_unique\` on \`claim_event\` (\`claim_id\`, \`sequence\`);`,
    );
    this.addSql(`alter table \`fraud_review\` drop column \`assigned_until_sequence\`;`);
    this.addSql(`alter table \`fraud_review\` drop column \`assigned_from_sequence\`;`);
    this.addSql(`alter table \`claim\` drop column \`released_from_sequence\`;`);
  }
}
