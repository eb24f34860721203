import { Migration } from '@mikro-orm/migrations';

export class Migration20261208012022_Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_endpoint" ("id" serial primary key, "owner_role" text check ("owner_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, "owner_subject" varchar(100) not null, "url" text not null, "description" varchar(500) not null, "event_type_list" text not null, "secret" varchar(100) not null, "previous_secret" varchar(100) null, "previous_secret_expires_at" timestamptz null, "status" text check ("status" in ('ACTIVE', 'DISABLED')) not null default 'ACTIVE', "disabled_reason" text null, "disabled_at" timestamptz null, "failing_since" timestamptz null, "degraded" boolean not null default false, "cursor" bigint not null, "leased_until" timestamptz null, "lease_holder" varchar(64) null, "next_attempt_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "webhook_endpoint_status_next_attempt_at_index" on "webhook_endpoint" ("status", "next_attempt_at");`,
    );
    this.addSql(
      `create index "webhook_endpoint_owner_role_owner_subject_id_index" on "webhook_endpoint" ("owner_role", "owner_subject", "id");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" serial primary key, "endpoint_id" int not null, "webhook_id" varchar(100) not null, "event_type" varchar(60) not null, "event_position" bigint null, "payload" text not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "first_attempt_at" timestamptz null, "last_attempt_at" timestamptz null, "last_response_status" int null, "last_latency_ms" int null, "last_response_excerpt" text null, "last_error" text null, "created_at" timestamptz not null, "completed_at" timestamptz null);`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_id_index" on "webhook_delivery" ("endpoint_id", "id");`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_status_id_index" on "webhook_delivery" ("endpoint_id", "status", "id");`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }
}
