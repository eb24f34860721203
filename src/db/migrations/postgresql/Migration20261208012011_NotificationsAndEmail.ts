import { Migration } from '@mikro-orm/migrations';

export class Migration20261208012011_NotificationsAndEmail extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "notification_preference" ("id" serial primary key, "role" text check ("role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, "subject" varchar(100) not null, "email_muted" jsonb not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_role_subject_unique" unique ("role", "subject");`,
    );

    this.addSql(
      `create table "outbox_cursor" ("name" varchar(60) not null, "position" bigint not null, constraint "outbox_cursor_pkey" primary key ("name"));`,
    );

    this.addSql(
      `create table "notification" ("id" serial primary key, "recipient_role" text check ("recipient_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, "recipient_subject" varchar(100) null, "category" text check ("category" in ('CLAIM_RECEIVED', 'CLAIM_DECISION', 'PAYOUT', 'CLAIM_NOTICE', 'RESPONSE_REMINDER', 'STEPPED_IN', 'PAYMENT_REQUESTED', 'RECOVERY', 'DEFENCE_OUTCOME', 'POLICY_EXPIRING', 'POLICY_EXPIRED', 'QUOTE_REQUEST', 'REVIEW_WAITING', 'DECISION_WAITING', 'WEBHOOK_DISABLED')) not null, "claim_id" int null, "title" varchar(200) not null, "body" text not null, "created_at" timestamptz not null, "read_at" timestamptz null, "source_key" varchar(200) not null, "email_status" text check ("email_status" in ('NONE', 'PENDING', 'SENT', 'FAILED')) not null, "email_to" varchar(320) null, "email_attempts" int not null default 0, "email_next_attempt_at" timestamptz null, "email_sent_at" timestamptz null, "email_error" text null);`,
    );
    this.addSql(
      `create index "notification_email_status_email_next_attempt_at_index" on "notification" ("email_status", "email_next_attempt_at");`,
    );
    this.addSql(
      `create index "notification_recipient_role_recipient_subject_id_index" on "notification" ("recipient_role", "recipient_subject", "id");`,
    );
    this.addSql(
      `alter table "notification" add constraint "notification_source_key_unique" unique ("source_key");`,
    );

    this.addSql(
      `alter table "notification" add constraint "notification_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "insurance_provider" add column "contact_email" varchar(320) null;`);

    // Notifications are made of events from now on, not of the history already there.
    this.addSql(
      `insert into "outbox_cursor" ("name", "position") select 'notifications', coalesce(max("id"), 0) from "claim_event";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_preference" cascade;`);

    this.addSql(`drop table if exists "outbox_cursor" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`alter table "insurance_provider" drop column "contact_email";`);
  }
}
