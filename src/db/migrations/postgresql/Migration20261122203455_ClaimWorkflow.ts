import { Migration } from '@mikro-orm/migrations';

export class Migration20261122203455_ClaimWorkflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "ledger_account" ("id" serial primary key, "code" text check ("code" in ('CASH', 'CLAIMS_EXPENSE', 'RECOVERY_RECEIVABLE', 'RECOVERIES')) not null, "currency" varchar(3) not null, "balance_minor" bigint not null);`,
    );
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_code_currency_unique" unique ("code", "currency");`,
    );

    this.addSql(
      `create table "scheduled_job" ("id" serial primary key, "kind" text check ("kind" in ('SCREEN_CLAIM', 'SELLER_RESPONSE_REMINDER', 'SELLER_RESPONSE_DEADLINE', 'INSURANCE_GRACE_END')) not null, "claim_id" int not null, "due_at" timestamptz not null, "status" text check ("status" in ('PENDING', 'DONE', 'FAILED')) not null, "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null, "completed_at" timestamptz null);`,
    );
    this.addSql(`create index "scheduled_job_claim_id_index" on "scheduled_job" ("claim_id");`);
    this.addSql(`create index "scheduled_job_status_due_at_index" on "scheduled_job" ("status", "due_at");`);

    this.addSql(
      `create table "product_defence" ("id" serial primary key, "claim_id" int not null, "submitted_by_role" text check ("submitted_by_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, "statement" text not null, "status" text check ("status" in ('SUBMITTED', 'UPHELD', 'REJECTED')) not null, "submitted_at" timestamptz not null, "decision_reason" text null, "decided_at" timestamptz null);`,
    );
    this.addSql(`create index "product_defence_claim_id_index" on "product_defence" ("claim_id");`);

    this.addSql(
      `create table "ledger_transfer" ("id" varchar(100) not null, "kind" varchar(60) not null, "claim_id" int null, "currency" varchar(3) not null, "posted_at" timestamptz not null, constraint "ledger_transfer_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ledger_transfer_claim_id_index" on "ledger_transfer" ("claim_id");`);

    this.addSql(
      `create table "ledger_entry" ("id" serial primary key, "transfer_id" varchar(100) not null, "account_id" int not null, "side" text check ("side" in ('DEBIT', 'CREDIT')) not null, "amount_minor" bigint not null, "currency" varchar(3) not null);`,
    );
    this.addSql(`create index "ledger_entry_transfer_id_index" on "ledger_entry" ("transfer_id");`);
    this.addSql(`create index "ledger_entry_account_id_index" on "ledger_entry" ("account_id");`);

    this.addSql(
      `create table "claim_decision" ("id" serial primary key, "claim_id" int not null, "kind" text check ("kind" in ('ROUTED_TO_CONCESSION', 'ROUTED_TO_SELLER', 'ACCEPTED_BY_SELLER', 'ACCEPTED_BY_INSURER', 'REJECTED_BY_SELLER', 'REJECTED_BY_INSURER', 'STEPPED_IN_AFTER_SILENCE', 'STEPPED_IN_AFTER_REVIEW', 'REJECTION_UPHELD', 'APPEALED', 'WITHDRAWN', 'DEFENCE_UPHELD', 'DEFENCE_REJECTED')) not null, "decided_by_role" text check ("decided_by_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, "decided_by_subject" varchar(100) null, "reason" text not null, "decided_at" timestamptz not null);`,
    );
    this.addSql(`create index "claim_decision_claim_id_index" on "claim_decision" ("claim_id");`);

    this.addSql(
      `create table "payout" ("id" serial primary key, "claim_id" int not null, "decision_id" int not null, "payer" text check ("payer" in ('MARKETPLACE', 'SELLER', 'INSURER')) not null, "amount_minor" bigint not null, "currency" varchar(3) not null, "status" text check ("status" in ('PENDING', 'COMPLETED')) not null, "reference" varchar(200) null, "created_at" timestamptz not null, "paid_at" timestamptz null);`,
    );
    this.addSql(`alter table "payout" add constraint "payout_claim_id_unique" unique ("claim_id");`);
    this.addSql(`alter table "payout" add constraint "payout_decision_id_unique" unique ("decision_id");`);

    this.addSql(
      `create table "recovery" ("id" serial primary key, "claim_id" int not null, "payout_id" int not null, "debtor" text check ("debtor" in ('MARKETPLACE', 'SELLER', 'INSURER')) not null, "seller_id" int not null, "insurer_id" int null, "amount_minor" bigint not null, "currency" varchar(3) not null, "status" text check ("status" in ('AWAITING_PROOF', 'OPEN', 'RECOVERED', 'CANCELLED')) not null, "grace_ends_at" timestamptz null, "reason" text not null, "opened_at" timestamptz not null, "resolved_at" timestamptz null);`,
    );
    this.addSql(`alter table "recovery" add constraint "recovery_claim_id_unique" unique ("claim_id");`);
    this.addSql(`create index "recovery_seller_id_index" on "recovery" ("seller_id");`);

    this.addSql(
      `alter table "scheduled_job" add constraint "scheduled_job_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "product_defence" add constraint "product_defence_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "ledger_transfer" add constraint "ledger_transfer_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "ledger_entry" add constraint "ledger_entry_transfer_id_foreign" foreign key ("transfer_id") references "ledger_transfer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ledger_entry" add constraint "ledger_entry_account_id_foreign" foreign key ("account_id") references "ledger_account" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_decision" add constraint "claim_decision_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "payout" add constraint "payout_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payout" add constraint "payout_decision_id_foreign" foreign key ("decision_id") references "claim_decision" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "recovery" add constraint "recovery_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "recovery" add constraint "recovery_payout_id_foreign" foreign key ("payout_id") references "payout" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "recovery" add constraint "recovery_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "recovery" add constraint "recovery_insurer_id_foreign" foreign key ("insurer_id") references "insurance_provider" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "claim" drop constraint if exists "claim_status_check";`);

    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_type_check";`);
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_from_status_check";`);
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_to_status_check";`);

    this.addSql(
      `alter table "claim" add column "route" text check ("route" in ('CONCESSION', 'SELLER_RESPONSE')) null, add column "insurer_id" int null, add column "respond_by" timestamptz null, add column "accepted_payer" text check ("accepted_payer" in ('MARKETPLACE', 'SELLER', 'INSURER')) null, add column "denied_at" timestamptz null, add column "denial_reason" text null, add column "appeal_count" int not null default 0;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_insurer_id_foreign" foreign key ("insurer_id") references "insurance_provider" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_status_check" check("status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED'));`,
    );

    this.addSql(
      `alter table "claim_event" add constraint "claim_event_type_check" check("type" in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED', 'SELLER_NOTIFIED', 'INSURER_NOTIFIED', 'RESPONSE_REMINDER', 'PAYOUT_PROMISED', 'PAYOUT_COMPLETED', 'RECOVERY_OPENED', 'RECOVERY_CANCELLED', 'RECOVERY_COLLECTED', 'DEFENCE_SUBMITTED', 'DEFENCE_DECIDED'));`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_from_status_check" check("from_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED'));`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_to_status_check" check("to_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ledger_entry" drop constraint "ledger_entry_account_id_foreign";`);

    this.addSql(`alter table "ledger_entry" drop constraint "ledger_entry_transfer_id_foreign";`);

    this.addSql(`alter table "payout" drop constraint "payout_decision_id_foreign";`);

    this.addSql(`alter table "recovery" drop constraint "recovery_payout_id_foreign";`);

    this.addSql(`drop table if exists "ledger_account" cascade;`);

    this.addSql(`drop table if exists "scheduled_job" cascade;`);

    this.addSql(`drop table if exists "product_defence" cascade;`);

    this.addSql(`drop table if exists "ledger_transfer" cascade;`);

    this.addSql(`drop table if exists "ledger_entry" cascade;`);

    this.addSql(`drop table if exists "claim_decision" cascade;`);

    this.addSql(`drop table if exists "payout" cascade;`);

    this.addSql(`drop table if exists "recovery" cascade;`);

    this.addSql(`alter table "claim" drop constraint if exists "claim_status_check";`);

    this.addSql(`alter table "claim" drop constraint "claim_insurer_id_foreign";`);

    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_type_check";`);
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_from_status_check";`);
    this.addSql(`alter table "claim_event" drop constraint if exists "claim_event_to_status_check";`);

    this.addSql(
      `alter table "claim" drop column "route", drop column "insurer_id", drop column "respond_by", drop column "accepted_payer", drop column "denied_at", drop column "denial_reason", drop column "appeal_count";`,
    );

    this.addSql(
      `alter table "claim" add constraint "claim_status_check" check("status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED'));`,
    );

    this.addSql(
      `alter table "claim_event" add constraint "claim_event_type_check" check("type" in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED'));`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_from_status_check" check("from_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED'));`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_to_status_check" check("to_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED'));`,
    );
  }
}
