import { Migration } from '@mikro-orm/migrations';

/**
 * The insurance marketplace: providers gain a rating, a NAIC code and network membership; sellers'
 * profiles, quote requests, quotes and policy histories; policies gain their terms and verification,
 * and due work may concern a policy.
 *
 * Written by hand: SQLite cannot add NOT NULL columns without a default, so insurance_policy and
 * scheduled_job are rebuilt. Migrations run in a transaction, where foreign keys stay enforced, so
 * only tables that no other table references yet are rebuilt: insurance_policy before
 * insurance_policy_event and scheduled_job.policy_id exist. Policies recorded before keep their
 * status (a cancelled one becomes verified and cancelled from its first day) and get zero limits:
 * their terms were never recorded.
 */
export class Migration20261201220612_InsuranceMarketplace extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`insurance_quote_request\` (\`id\` integer not null primary key autoincrement, \`seller_id\` integer not null, \`status\` text check (\`status\` in ('OPEN', 'BOUND')) not null, \`requested_at\` datetime not null, \`coverage_start\` date not null, \`coverage_end\` date not null, \`respond_by\` datetime not null, \`profile\` json not null, constraint \`insurance_quote_request_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create index \`insurance_quote_request_seller_id_index\` on \`insurance_quote_request\` (\`seller_id\`);`,
    );

    this.addSql(
      `create table \`insurance_quote\` (\`id\` integer not null primary key autoincrement, \`request_id\` integer not null, \`provider_id\` integer not null, \`status\` text check (\`status\` in ('PENDING', 'OFFERED', 'DECLINED', 'EXPIRED', 'BOUND', 'NOT_TAKEN')) not null, \`currency\` text not null, \`annual_premium_minor\` bigint null, \`per_occurrence_limit_minor\` bigint null, \`aggregate_limit_minor\` bigint null, \`deductible_minor\` bigint null, \`additional_insured\` integer null, \`valid_until\` datetime not null, \`decline_reason\` text null, \`responded_at\` datetime null, \`rating_factors\` json null, constraint \`insurance_quote_request_id_foreign\` foreign key(\`request_id\`) references \`insurance_quote_request\`(\`id\`) on update cascade, constraint \`insurance_quote_provider_id_foreign\` foreign key(\`provider_id\`) references \`insurance_provider\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`insurance_quote_request_id_index\` on \`insurance_quote\` (\`request_id\`);`);
    this.addSql(
      `create index \`insurance_quote_provider_id_index\` on \`insurance_quote\` (\`provider_id\`);`,
    );
    this.addSql(
      `create index \`insurance_quote_provider_id_status_index\` on \`insurance_quote\` (\`provider_id\`, \`status\`);`,
    );

    this.addSql(
      `create table \`seller_insurance_profile\` (\`id\` integer not null primary key autoincrement, \`seller_id\` integer not null, \`product_categories\` json not null, \`annual_revenue_minor\` bigint not null, \`currency\` text not null, \`units_sold\` integer not null, \`years_in_business\` integer not null, \`updated_at\` datetime not null, constraint \`seller_insurance_profile_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create unique index \`seller_insurance_profile_seller_id_unique\` on \`seller_insurance_profile\` (\`seller_id\`);`,
    );

    this.addSql(`alter table \`insurance_provider\` add column \`naic_code\` text null;`);
    this.addSql(
      `alter table \`insurance_provider\` add column \`financial_rating\` text check (\`financial_rating\` in ('A_PLUS_PLUS', 'A_PLUS', 'A', 'A_MINUS', 'B_PLUS_PLUS', 'B_PLUS', 'B', 'B_MINUS', 'C_PLUS_PLUS', 'C_PLUS', 'C')) null;`,
    );
    this.addSql(`alter table \`insurance_provider\` add column \`vetted\` integer not null default false;`);
    this.addSql(
      `alter table \`insurance_provider\` add column \`status\` text check (\`status\` in ('ACTIVE', 'SUSPENDED')) not null default 'ACTIVE';`,
    );
    this.addSql(`alter table \`insurance_provider\` add column \`rating_model\` text null;`);
    this.addSql(
      `create unique index \`insurance_provider_naic_code_unique\` on \`insurance_provider\` (\`naic_code\`);`,
    );

    this.addSql(
      `create table \`insurance_policy__temp_alter\` (\`id\` integer not null primary key autoincrement, \`seller_id\` integer not null, \`provider_id\` integer not null, \`policy_number\` text not null, \`effective_from\` date not null, \`effective_to\` date not null, \`verification_status\` text check (\`verification_status\` in ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED')) not null, \`source\` text check (\`source\` in ('MARKETPLACE_QUOTE', 'REGISTERED')) not null default 'REGISTERED', \`quote_id\` integer null, \`currency\` text not null, \`per_occurrence_limit_minor\` bigint not null, \`aggregate_limit_minor\` bigint not null, \`deductible_minor\` bigint not null, \`additional_insured\` integer not null, \`annual_premium_minor\` bigint null, \`registered_at\` datetime not null, \`verified_at\` datetime null, \`verified_by_role\` text check (\`verified_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) null, \`verified_by_subject\` text null, \`failed_requirements\` json null, \`verification_note\` text null, \`cancelled_from\` date null, \`cancellation_reason\` text null, constraint \`insurance_policy_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`insurance_policy_provider_id_foreign\` foreign key(\`provider_id\`) references \`insurance_provider\`(\`id\`) on update cascade, constraint \`insurance_policy_quote_id_foreign\` foreign key(\`quote_id\`) references \`insurance_quote\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(
      `insert into \`insurance_policy__temp_alter\` (\`id\`, \`seller_id\`, \`provider_id\`, \`policy_number\`, \`effective_from\`, \`effective_to\`, \`verification_status\`, \`currency\`, \`per_occurrence_limit_minor\`, \`aggregate_limit_minor\`, \`deductible_minor\`, \`additional_insured\`, \`registered_at\`, \`cancelled_from\`) select \`id\`, \`seller_id\`, \`provider_id\`, \`policy_number\`, \`effective_from\`, \`effective_to\`, case \`status\` when 'CANCELLED' then 'VERIFIED' else \`status\` end, 'USD', 0, 0, 0, 0, cast(strftime('%s', 'now') as integer) * 1000, case \`status\` when 'CANCELLED' then \`effective_from\` end from \`insurance_policy\`;`,
    );
    this.addSql(`drop table \`insurance_policy\`;`);
    this.addSql(`alter table \`insurance_policy__temp_alter\` rename to \`insurance_policy\`;`);
    this.addSql(`create index \`insurance_policy_seller_id_index\` on \`insurance_policy\` (\`seller_id\`);`);
    this.addSql(
      `create index \`insurance_policy_provider_id_index\` on \`insurance_policy\` (\`provider_id\`);`,
    );
    this.addSql(`create index \`insurance_policy_quote_id_index\` on \`insurance_policy\` (\`quote_id\`);`);
    this.addSql(
      `create unique index \`insurance_policy_quote_id_unique\` on \`insurance_policy\` (\`quote_id\`);`,
    );
    this.addSql(
      `create unique index \`insurance_policy_provider_id_policy_number_unique\` on \`insurance_policy\` (\`provider_id\`, \`policy_number\`);`,
    );

    this.addSql(
      `create table \`insurance_policy_event\` (\`id\` integer not null primary key autoincrement, \`policy_id\` integer not null, \`type\` text check (\`type\` in ('BOUND', 'REGISTERED', 'VERIFIED', 'REJECTED', 'CANCELLED', 'EXPIRY_REMINDER', 'EXPIRED')) not null, \`occurred_at\` datetime not null, \`actor_role\` text check (\`actor_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`message\` text not null, constraint \`insurance_policy_event_policy_id_foreign\` foreign key(\`policy_id\`) references \`insurance_policy\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create index \`insurance_policy_event_policy_id_index\` on \`insurance_policy_event\` (\`policy_id\`);`,
    );

    this.addSql(
      `create table \`scheduled_job__temp_alter\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('SCREEN_CLAIM', 'SELLER_RESPONSE_REMINDER', 'SELLER_RESPONSE_DEADLINE', 'INSURANCE_GRACE_END', 'POLICY_EXPIRY_REMINDER', 'POLICY_EXPIRY')) not null, \`claim_id\` integer null, \`policy_id\` integer null, \`due_at\` datetime not null, \`status\` text check (\`status\` in ('PENDING', 'DONE', 'FAILED')) not null, \`attempts\` integer not null default 0, \`last_error\` text null, \`created_at\` datetime not null, \`completed_at\` datetime null, constraint \`scheduled_job_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on delete set null on update cascade, constraint \`scheduled_job_policy_id_foreign\` foreign key(\`policy_id\`) references \`insurance_policy\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(
      `insert into \`scheduled_job__temp_alter\` (\`id\`, \`kind\`, \`claim_id\`, \`due_at\`, \`status\`, \`attempts\`, \`last_error\`, \`created_at\`, \`completed_at\`) select \`id\`, \`kind\`, \`claim_id\`, \`due_at\`, \`status\`, \`attempts\`, \`last_error\`, \`created_at\`, \`completed_at\` from \`scheduled_job\`;`,
    );
    this.addSql(`drop table \`scheduled_job\`;`);
    this.addSql(`alter table \`scheduled_job__temp_alter\` rename to \`scheduled_job\`;`);
    this.addSql(`create index \`scheduled_job_claim_id_index\` on \`scheduled_job\` (\`claim_id\`);`);
    this.addSql(`create index \`scheduled_job_policy_id_index\` on \`scheduled_job\` (\`policy_id\`);`);
    this.addSql(
      `create index \`scheduled_job_status_due_at_index\` on \`scheduled_job\` (\`status\`, \`due_at\`);`,
    );
  }
}
