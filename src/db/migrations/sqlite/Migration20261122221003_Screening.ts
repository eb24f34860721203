import { Migration } from '@mikro-orm/migrations';

export class Migration20261122221003_Screening extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`fraud_review\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`status\` text check (\`status\` in ('QUEUED', 'IN_REVIEW', 'DECIDED', 'CANCELLED')) not null, \`priority\` text check (\`priority\` in ('NORMAL', 'HIGH')) not null, \`risk_score\` integer not null, \`referred_at\` datetime not null, \`expert_subject\` text null, \`assigned_at\` datetime null, \`finding\` text check (\`finding\` in ('VALID', 'UNSUBSTANTIATED', 'FRIVOLOUS', 'ABUSIVE', 'FRAUDULENT')) null, \`rationale\` text null, \`decided_at\` datetime null, constraint \`fraud_review_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`fraud_review_claim_id_index\` on \`fraud_review\` (\`claim_id\`);`);
    this.addSql(
      `create index \`fraud_review_expert_subject_index\` on \`fraud_review\` (\`expert_subject\`);`,
    );
    this.addSql(
      `create index \`fraud_review_status_risk_score_referred_at_index\` on \`fraud_review\` (\`status\`, \`risk_score\`, \`referred_at\`);`,
    );
    this.addSql(`create unique index \`fraud_review_claim_id_unique\` on \`fraud_review\` (\`claim_id\`);`);
    this.addSql(
      `create table \`claim_screening\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`risk_score\` integer not null, \`outcome\` text check (\`outcome\` in ('PASS', 'REFER', 'DENY')) not null, \`priority\` text check (\`priority\` in ('NORMAL', 'HIGH')) null, \`signals\` json not null, \`policy_version\` text not null, \`policy_digest\` text not null, \`screened_at\` datetime not null, constraint \`claim_screening_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`claim_screening_claim_id_index\` on \`claim_screening\` (\`claim_id\`);`);
    this.addSql(
      `create unique index \`claim_screening_claim_id_unique\` on \`claim_screening\` (\`claim_id\`);`,
    );
    this.addSql(
      `create table \`claim_description_band\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`band\` text not null, constraint \`claim_description_band_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create index \`claim_description_band_claim_id_index\` on \`claim_description_band\` (\`claim_id\`);`,
    );
    this.addSql(
      `create index \`claim_description_band_band_index\` on \`claim_description_band\` (\`band\`);`,
    );
    this.addSql(
      `create unique index \`claim_description_band_claim_id_band_unique\` on \`claim_description_band\` (\`claim_id\`, \`band\`);`,
    );
    this.addSql(`alter table \`customer_order\` add column \`delivery_address_key\` text null;`);
    this.addSql(
      `create index \`customer_order_delivery_address_key_index\` on \`customer_order\` (\`delivery_address_key\`);`,
    );
    this.addSql(`alter table \`claim\` add column \`payout_destination\` text null;`);
    this.addSql(`create index \`claim_payout_destination_index\` on \`claim\` (\`payout_destination\`);`);
    // SQLite cannot alter a check constraint, and rebuilding claim_decision inside the migration's
    // transaction would break the foreign keys of existing payouts (foreign_keys cannot be turned
    // off in a transaction). Widening an enum's check only admits more values, so the table's
    // stored definition is edited in place, as SQLite documents for such changes.
    const [{ schema_version: version }] = (await this.execute('pragma schema_version')) as [
      { schema_version: number },
    ];
    this.addSql(`pragma writable_schema = on;`);
    this.addSql(
      `update sqlite_master set sql = replace(sql, '''DEFENCE_REJECTED''))', '''DEFENCE_REJECTED'', ''REFERRED_TO_EXPERT'', ''DENIED_IN_SCREENING'', ''FOUND_VALID_BY_EXPERT'', ''DENIED_BY_EXPERT''))') where type = 'table' and name = 'claim_decision';`,
    );
    this.addSql(`pragma schema_version = ${version + 1};`);
    this.addSql(`pragma writable_schema = off;`);
  }
}
