import { Migration } from '@mikro-orm/migrations';

export class Migration20261201221947_SensitiveDataAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "sensitive_data_access" ("id" serial primary key, "claim_id" int not null, "kind" text check ("kind" in ('INJURY_DETAILS', 'MEDICAL_RECORD')) not null, "viewer_role" text check ("viewer_role" in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, "viewer_subject" varchar(100) not null, "accessed_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "sensitive_data_access_accessed_at_index" on "sensitive_data_access" ("accessed_at");`,
    );
    this.addSql(
      `create index "sensitive_data_access_claim_id_accessed_at_index" on "sensitive_data_access" ("claim_id", "accessed_at");`,
    );

    this.addSql(
      `alter table "sensitive_data_access" add constraint "sensitive_data_access_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sensitive_data_access" cascade;`);
  }
}
