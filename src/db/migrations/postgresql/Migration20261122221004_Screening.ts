import { Migration } from '@mikro-orm/migrations';

export class Migration20261122221004_Screening extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "fraud_review" ("id" serial primary key, "claim_id" int not null, "status" text check ("status" in ('QUEUED', 'IN_REVIEW', 'DECIDED', 'CANCELLED')) not null, "priority" text check ("priority" in ('NORMAL', 'HIGH')) not null, "risk_score" int not null, "referred_at" timestamptz not null, "expert_subject" varchar(100) null, "assigned_at" timestamptz null, "finding" text check ("finding" in ('VALID', 'UNSUBSTANTIATED', 'FRIVOLOUS', 'ABUSIVE', 'FRAUDULENT')) null, "rationale" text null, "decided_at" timestamptz null);`,
    );
    this.addSql(`create index "fraud_review_expert_subject_index" on "fraud_review" ("expert_subject");`);
    this.addSql(
      `create index "fraud_review_status_risk_score_referred_at_index" on "fraud_review" ("status", "risk_score", "referred_at");`,
    );
    this.addSql(
      `alter table "fraud_review" add constraint "fraud_review_claim_id_unique" unique ("claim_id");`,
    );

    this.addSql(
      `create table "claim_screening" ("id" serial primary key, "claim_id" int not null, "risk_score" int not null, "outcome" text check ("outcome" in ('PASS', 'REFER', 'DENY')) not null, "priority" text check ("priority" in ('NORMAL', 'HIGH')) null, "signals" jsonb not null, "policy_version" varchar(100) not null, "policy_digest" varchar(71) not null, "screened_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "claim_screening" add constraint "claim_screening_claim_id_unique" unique ("claim_id");`,
    );

    this.addSql(
      `create table "claim_description_band" ("id" serial primary key, "claim_id" int not null, "band" varchar(40) not null);`,
    );
    this.addSql(`create index "claim_description_band_band_index" on "claim_description_band" ("band");`);
    this.addSql(
      `alter table "claim_description_band" add constraint "claim_description_band_claim_id_band_unique" unique ("claim_id", "band");`,
    );

    this.addSql(
      `alter table "fraud_review" add constraint "fraud_review_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_screening" add constraint "claim_screening_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_description_band" add constraint "claim_description_band_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(`alter table "claim_decision" drop constraint if exists "claim_decision_kind_check";`);

    this.addSql(`alter table "customer_order" add column "delivery_address_key" varchar(64) null;`);
    this.addSql(
      `create index "customer_order_delivery_address_key_index" on "customer_order" ("delivery_address_key");`,
    );

    this.addSql(`alter table "claim" add column "payout_destination" varchar(200) null;`);
    this.addSql(`create index "claim_payout_destination_index" on "claim" ("payout_destination");`);

    this.addSql(
      `alter table "claim_decision" add constraint "claim_decision_kind_check" check("kind" in ('ROUTED_TO_CONCESSION', 'ROUTED_TO_SELLER', 'ACCEPTED_BY_SELLER', 'ACCEPTED_BY_INSURER', 'REJECTED_BY_SELLER', 'REJECTED_BY_INSURER', 'STEPPED_IN_AFTER_SILENCE', 'STEPPED_IN_AFTER_REVIEW', 'REJECTION_UPHELD', 'APPEALED', 'WITHDRAWN', 'DEFENCE_UPHELD', 'DEFENCE_REJECTED', 'REFERRED_TO_EXPERT', 'DENIED_IN_SCREENING', 'FOUND_VALID_BY_EXPERT', 'DENIED_BY_EXPERT'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "fraud_review" cascade;`);

    this.addSql(`drop table if exists "claim_screening" cascade;`);

    this.addSql(`drop table if exists "claim_description_band" cascade;`);

    this.addSql(`alter table "claim_decision" drop constraint if exists "claim_decision_kind_check";`);

    this.addSql(`drop index "claim_payout_destination_index";`);
    this.addSql(`alter table "claim" drop column "payout_destination";`);

    this.addSql(
      `alter table "claim_decision" add constraint "claim_decision_kind_check" check("kind" in ('ROUTED_TO_CONCESSION', 'ROUTED_TO_SELLER', 'ACCEPTED_BY_SELLER', 'ACCEPTED_BY_INSURER', 'REJECTED_BY_SELLER', 'REJECTED_BY_INSURER', 'STEPPED_IN_AFTER_SILENCE', 'STEPPED_IN_AFTER_REVIEW', 'REJECTION_UPHELD', 'APPEALED', 'WITHDRAWN', 'DEFENCE_UPHELD', 'DEFENCE_REJECTED'));`,
    );

    this.addSql(`drop index "customer_order_delivery_address_key_index";`);
    this.addSql(`alter table "customer_order" drop column "delivery_address_key";`);
  }
}
