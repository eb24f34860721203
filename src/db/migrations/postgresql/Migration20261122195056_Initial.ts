import { Migration } from '@mikro-orm/migrations';

export class Migration20261122195056_Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "customer" ("id" serial primary key, "external_ref" varchar(100) not null, "name" varchar(200) not null, "email" varchar(320) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "customer" add constraint "customer_external_ref_unique" unique ("external_ref");`,
    );

    this.addSql(
      `create table "idempotency_record" ("id" serial primary key, "scope" varchar(130) not null, "operation" varchar(60) not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "resource_id" varchar(100) not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "idempotency_record" add constraint "idempotency_record_scope_operation_key_unique" unique ("scope", "operation", "key");`,
    );

    this.addSql(
      `create table "insurance_provider" ("id" serial primary key, "external_ref" varchar(100) not null, "name" varchar(200) not null);`,
    );
    this.addSql(
      `alter table "insurance_provider" add constraint "insurance_provider_external_ref_unique" unique ("external_ref");`,
    );

    this.addSql(
      `create table "product" ("id" serial primary key, "external_ref" varchar(100) not null, "name" varchar(300) not null, "category" varchar(100) not null, "price_minor" bigint not null, "currency" varchar(3) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "product" add constraint "product_external_ref_unique" unique ("external_ref");`,
    );

    this.addSql(
      `create table "seller" ("id" serial primary key, "external_ref" varchar(100) not null, "name" varchar(200) not null, "contact_email" varchar(320) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "seller" add constraint "seller_external_ref_unique" unique ("external_ref");`);

    this.addSql(
      `create table "customer_order" ("id" serial primary key, "external_ref" varchar(100) not null, "customer_id" int not null, "seller_id" int not null, "product_id" int not null, "quantity" int not null, "price_minor" bigint not null, "currency" varchar(3) not null, "purchased_at" timestamptz not null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_external_ref_unique" unique ("external_ref");`,
    );
    this.addSql(`create index "customer_order_customer_id_index" on "customer_order" ("customer_id");`);
    this.addSql(`create index "customer_order_seller_id_index" on "customer_order" ("seller_id");`);
    this.addSql(`create index "customer_order_product_id_index" on "customer_order" ("product_id");`);

    this.addSql(
      `create table "insurance_policy" ("id" serial primary key, "seller_id" int not null, "provider_id" int not null, "policy_number" varchar(100) not null, "effective_from" date not null, "effective_to" date not null, "status" text check ("status" in ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'CANCELLED')) not null);`,
    );
    this.addSql(`create index "insurance_policy_seller_id_index" on "insurance_policy" ("seller_id");`);
    this.addSql(`create index "insurance_policy_provider_id_index" on "insurance_policy" ("provider_id");`);
    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_provider_id_policy_number_unique" unique ("provider_id", "policy_number");`,
    );

    this.addSql(
      `create table "claim" ("id" serial primary key, "order_id" int not null, "customer_id" int not null, "seller_id" int not null, "product_id" int not null, "covers_property_damage" boolean not null, "covers_personal_injury" boolean not null, "status" text check ("status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) not null, "incident_date" date not null, "description" text not null, "claimed_amount_minor" bigint not null, "currency" varchar(3) not null, "filed_at" timestamptz not null, "filed_by_role" text check ("filed_by_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, "filed_by_subject" varchar(100) not null, "released_to_seller_at" timestamptz null, "last_event_sequence" int not null default 0, "version" int not null default 1, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "claim_customer_id_index" on "claim" ("customer_id");`);
    this.addSql(`create index "claim_seller_id_index" on "claim" ("seller_id");`);
    this.addSql(`create index "claim_product_id_index" on "claim" ("product_id");`);
    this.addSql(`create index "claim_status_index" on "claim" ("status");`);
    this.addSql(`create index "claim_order_id_status_index" on "claim" ("order_id", "status");`);
    this.addSql(`create index "claim_filed_at_id_index" on "claim" ("filed_at", "id");`);

    this.addSql(
      `create table "claim_injury_details" ("id" serial primary key, "claim_id" int not null, "description" text not null, "medically_treated" boolean not null, "treatment_details" text null);`,
    );
    this.addSql(
      `alter table "claim_injury_details" add constraint "claim_injury_details_claim_id_unique" unique ("claim_id");`,
    );

    this.addSql(
      `create table "claim_evidence" ("id" serial primary key, "claim_id" int not null, "kind" text check ("kind" in ('PHOTO', 'VIDEO', 'DOCUMENT', 'RECEIPT', 'MEDICAL_RECORD', 'EXPERT_REPORT', 'OTHER')) not null, "description" text not null, "content_hash" varchar(71) not null, "uri" text not null, "added_at" timestamptz not null, "added_by_role" text check ("added_by_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null);`,
    );
    this.addSql(`create index "claim_evidence_claim_id_index" on "claim_evidence" ("claim_id");`);
    this.addSql(`create index "claim_evidence_content_hash_index" on "claim_evidence" ("content_hash");`);
    this.addSql(
      `alter table "claim_evidence" add constraint "claim_evidence_claim_id_content_hash_unique" unique ("claim_id", "content_hash");`,
    );

    this.addSql(
      `create table "claim_event" ("id" bigserial primary key, "claim_id" int not null, "sequence" int not null, "type" text check ("type" in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED')) not null, "occurred_at" timestamptz not null, "actor_role" text check ("actor_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, "actor_subject" varchar(100) null, "from_status" text check ("from_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) null, "to_status" text check ("to_status" in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) null, "message" text not null);`,
    );
    this.addSql(
      `alter table "claim_event" add constraint "claim_event_claim_id_sequence_unique" unique ("claim_id", "sequence");`,
    );

    this.addSql(
      `alter table "customer_order" add constraint "customer_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "customer_order" add constraint "customer_order_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "insurance_policy" add constraint "insurance_policy_provider_id_foreign" foreign key ("provider_id") references "insurance_provider" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim" add constraint "claim_order_id_foreign" foreign key ("order_id") references "customer_order" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "claim" add constraint "claim_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_injury_details" add constraint "claim_injury_details_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_evidence" add constraint "claim_evidence_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "claim_event" add constraint "claim_event_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_order" drop constraint "customer_order_customer_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_customer_id_foreign";`);

    this.addSql(`alter table "insurance_policy" drop constraint "insurance_policy_provider_id_foreign";`);

    this.addSql(`alter table "customer_order" drop constraint "customer_order_product_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_product_id_foreign";`);

    this.addSql(`alter table "customer_order" drop constraint "customer_order_seller_id_foreign";`);

    this.addSql(`alter table "insurance_policy" drop constraint "insurance_policy_seller_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_seller_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_order_id_foreign";`);

    this.addSql(
      `alter table "claim_injury_details" drop constraint "claim_injury_details_claim_id_foreign";`,
    );

    this.addSql(`alter table "claim_evidence" drop constraint "claim_evidence_claim_id_foreign";`);

    this.addSql(`alter table "claim_event" drop constraint "claim_event_claim_id_foreign";`);

    this.addSql(`drop table if exists "customer" cascade;`);

    this.addSql(`drop table if exists "idempotency_record" cascade;`);

    this.addSql(`drop table if exists "insurance_provider" cascade;`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "seller" cascade;`);

    this.addSql(`drop table if exists "customer_order" cascade;`);

    this.addSql(`drop table if exists "insurance_policy" cascade;`);

    this.addSql(`drop table if exists "claim" cascade;`);

    this.addSql(`drop table if exists "claim_injury_details" cascade;`);

    this.addSql(`drop table if exists "claim_evidence" cascade;`);

    this.addSql(`drop table if exists "claim_event" cascade;`);
  }
}
