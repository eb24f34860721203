import { Migration } from '@mikro-orm/migrations';

/**
 * The insurance marketplace: providers gain a rating, a NAIC code and network membership; sellers'
 * profiles, quote requests, quotes and policy histories; policies gain their terms and
 * verification (the former status column becomes verification_status), and due work may concern
 * a policy.
 */
export class Migration20261201220613_InsuranceMarketplace extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "insurance_quote_request" ("id" serial primary key, "seller_id" int not null, "status" text check ("status" in ('OPEN', 'BOUND')) not null, "requested_at" timestamptz not null, "coverage_start" date not null, "coverage_end" date not null, "respond_by" timestamptz not null, "profile" jsonb not null);`,
    );
    this.addSql(
      `create index "insurance_quote_request_seller_id_index" on "insurance_quote_request" ("seller_id");`,
    );

    this.addSql(
      `create table "insurance_quote" ("id" serial primary key, "request_id" int not null, "provider_id" int not null, "status" text check ("status" in ('PENDING', 'OFFERED', 'DECLINED', 'EXPIRED', 'BOUND', 'NOT_TAKEN')) not null, "currency" varchar(3) not null, "annual_premium_minor" bigint null, "per_occurrence_limit_minor" bigint null, "aggregate_limit_minor" bigint null, "deductible_minor" bigint null, "additional_insured" boolean null, "valid_until" timestamptz not null, "decline_reason" text null, "responded_at" timestamptz null, "rating_factors" jsonb null);`,
    );
    this.addSql(`create index "insurance_quote_request_id_index" on "insurance_quote" ("request_id");`);
    this.addSql(
      `create index "insurance_quote_provider_id_status_index" on "insurance_quote" ("provider_id", "status");`,
    );

    this.addSql(
      `create table "insurance_policy_event" ("id" serial primary key, "policy_id" int not null, "type" text check ("type" in ('BOUND', 'REGISTERED', 'VERIFIED', 'REJECTED', 'CANCELLED', 'EXPIRY_REMINDER', 'EXPIRED')) not null, "occurred_at" timestamptz not null, "actor_role" text check ("actor_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, "message" text not null);`,
    );
    this.addSql(
      `create index "insurance_policy_event_policy_id_index" on "insurance_policy_event" ("policy_id");`,
    );

    this.addSql(
      `create table "seller_insurance_profile" ("id" serial primary key, "seller_id" int not null, "product_categories" jsonb not null, "annual_revenue_minor" bigint not null, "currency" varchar(3) not null, "units_sold" int not null, "years_in_business" int not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "seller_insurance_profile" add constraint "seller_insurance_profile_seller_id_unique" unique ("seller_id");`,
    );

    this.addSql(
      `alter table "insurance_quote_request" add constraint "insurance_quote_request_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "insurance_quote" add constraint "insurance_quote_request_id_foreign" foreign key ("request_id") references "insurance_quote_request" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "insurance_quote" add constraint "insurance_quote_provider_id_foreign" foreign key ("provider_id") references "insurance_provider" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "insurance_policy_event" add constraint "insurance_policy_event_policy_id_foreign" foreign key ("policy_id") references "insurance_policy" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "seller_insurance_profile" add constraint "seller_insurance_profile_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );

    this.addSql(`alter table "scheduled_job" drop constraint if exists "scheduled_job_kind_check";`);

    this.addSql(`alter table "scheduled_job" drop constraint "scheduled_job_claim_id_foreign";`);

    this.addSql(
      `alter table "insurance_provider" add column "naic_code" varchar(5) null, add column "financial_rating" text check ("financial_rating" in ('A_PLUS_PLUS', 'A_PLUS', 'A', 'A_MINUS', 'B_PLUS_PLUS', 'B_PLUS', 'B', 'B_MINUS', 'C_PLUS_PLUS', 'C_PLUS', 'C')) null, add column "vetted" boolean not null default false, add column "status" text check ("status" in ('ACTIVE', 'SUSPENDED')) not null default 'ACTIVE', add column "rating_model" varchar(40) null;`,
    );
    this.addSql(
      `alter table "insurance_provider" add constraint "insurance_provider_naic_code_unique" unique ("naic_code");`,
    );

    // Policies recorded before keep their status (a cancelled one becomes verified and cancelled
    // from its first day) and get zero limits: their terms were never recorded.
    this.addSql(`alter table "insurance_policy" drop constraint if exists "insurance_policy_status_check";`);
    this.addSql(`alter table "insurance_policy" rename column "status" to "verification_status";`);
    this.addSql(
      `alter table "insurance_policy" add column "cancelled_from" date null, add column "cancellation_reason" text null;`,
    );
    this.addSql(
      `update "insurance_policy" set "verification_status" = 'VERIFIED', "cancelled_from" = "effective_from" where "verification_status" = 'CANCELLED';`,
    );
    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_verification_status_check" check ("verification_status" in ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED'));`,
    );
    this.addSql(
      `alter table "insurance_policy" add column "source" text check ("source" in ('MARKETPLACE_QUOTE', 'REGISTERED')) not null default 'REGISTERED', add column "quote_id" int null, add column "currency" varchar(3) not null default 'USD', add column "per_occurrence_limit_minor" bigint not null default 0, add column "aggregate_limit_minor" bigint not null default 0, add column "deductible_minor" bigint not null default 0, add column "additional_insured" boolean not null default false, add column "annual_premium_minor" bigint null, add column "registered_at" timestamptz not null default now(), add column "verified_at" timestamptz null, add column "verified_by_role" text check ("verified_by_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) null, add column "verified_by_subject" varchar(100) null, add column "failed_requirements" jsonb null, add column "verification_note" text null;`,
    );
    this.addSql(
      `alter table "insurance_policy" alter column "currency" drop default, alter column "per_occurrence_limit_minor" drop default, alter column "aggregate_limit_minor" drop default, alter column "deductible_minor" drop default, alter column "additional_insured" drop default, alter column "registered_at" drop default;`,
    );
    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_quote_id_foreign" foreign key ("quote_id") references "insurance_quote" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_quote_id_unique" unique ("quote_id");`,
    );

    this.addSql(`alter table "scheduled_job" add column "policy_id" int null;`);
    this.addSql(`alter table "scheduled_job" alter column "claim_id" type int using ("claim_id"::int);`);
    this.addSql(`alter table "scheduled_job" alter column "claim_id" drop not null;`);
    this.addSql(
      `alter table "scheduled_job" add constraint "scheduled_job_policy_id_foreign" foreign key ("policy_id") references "insurance_policy" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "scheduled_job" add constraint "scheduled_job_kind_check" check("kind" in ('SCREEN_CLAIM', 'SELLER_RESPONSE_REMINDER', 'SELLER_RESPONSE_DEADLINE', 'INSURANCE_GRACE_END', 'POLICY_EXPIRY_REMINDER', 'POLICY_EXPIRY'));`,
    );
    this.addSql(
      `alter table "scheduled_job" add constraint "scheduled_job_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "scheduled_job_policy_id_index" on "scheduled_job" ("policy_id");`);
  }
}
