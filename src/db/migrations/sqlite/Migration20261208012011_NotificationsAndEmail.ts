import { Migration } from '@mikro-orm/migrations';

const ROLES = `'CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT'`;
const CATEGORIES = `'CLAIM_RECEIVED', 'CLAIM_DECISION', 'PAYOUT', 'CLAIM_NOTICE', 'RESPONSE_REMINDER', 'STEPPED_IN', 'PAYMENT_REQUESTED', 'RECOVERY', 'DEFENCE_OUTCOME', 'POLICY_EXPIRING', 'POLICY_EXPIRED', 'QUOTE_REQUEST', 'REVIEW_WAITING', 'DECISION_WAITING', 'WEBHOOK_DISABLED'`;

export class Migration20261208012011_NotificationsAndEmail extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`notification_preference\` (\`id\` integer not null primary key autoincrement, \`role\` text check (\`role\` in (${ROLES})) not null, \`subject\` text not null, \`email_muted\` json not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`notification_preference_role_subject_unique\` on \`notification_preference\` (\`role\`, \`subject\`);`,
    );
    this.addSql(
      `create table \`outbox_cursor\` (\`name\` text not null, \`position\` bigint not null, primary key (\`name\`));`,
    );
    this.addSql(
      `create table \`notification\` (\`id\` integer not null primary key autoincrement, \`recipient_role\` text check (\`recipient_role\` in (${ROLES})) not null, \`recipient_subject\` text null, \`category\` text check (\`category\` in (${CATEGORIES})) not null, \`claim_id\` integer null, \`title\` text not null, \`body\` text not null, \`created_at\` datetime not null, \`read_at\` datetime null, \`source_key\` text not null, \`email_status\` text check (\`email_status\` in ('NONE', 'PENDING', 'SENT', 'FAILED')) not null, \`email_to\` text null, \`email_attempts\` integer not null default 0, \`email_next_attempt_at\` datetime null, \`email_sent_at\` datetime null, \`email_error\` text null, constraint \`notification_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create index \`notification_claim_id_index\` on \`notification\` (\`claim_id\`);`);
    this.addSql(
      `create index \`notification_email_status_email_next_attempt_at_index\` on \`notification\` (\`email_status\`, \`email_next_attempt_at\`);`,
    );
    this.addSql(
      `create index \`notification_recipient_role_recipient_subject_id_index\` on \`notification\` (\`recipient_role\`, \`recipient_subject\`, \`id\`);`,
    );
    this.addSql(
      `create unique index \`notification_source_key_unique\` on \`notification\` (\`source_key\`);`,
    );
    this.addSql(`alter table \`insurance_provider\` add column \`contact_email\` text null;`);
    // Notifications are made of events from now on, not of the history already there.
    this.addSql(
      `insert into \`outbox_cursor\` (\`name\`, \`position\`) select 'notifications', coalesce(max(\`id\`), 0) from \`claim_event\`;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table \`notification\`;`);
    this.addSql(`drop table \`outbox_cursor\`;`);
    this.addSql(`drop table \`notification_preference\`;`);
    this.addSql(`alter table \`insurance_provider\` drop column \`contact_email\`;`);
  }
}
