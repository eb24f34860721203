import { Migration } from '@mikro-orm/migrations';

export class Migration20261122203454_ClaimWorkflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`ledger_account\` (\`id\` integer not null primary key autoincrement, \`code\` text check (\`code\` in ('CASH', 'CLAIMS_EXPENSE', 'RECOVERY_RECEIVABLE', 'RECOVERIES')) not null, \`currency\` text not null, \`balance_minor\` bigint not null);`,
    );
    this.addSql(
      `create unique index \`ledger_account_code_currency_unique\` on \`ledger_account\` (\`code\`, \`currency\`);`,
    );

    this.addSql(
      `create table \`scheduled_job\` (\`id\` integer not null primary key autoincrement, \`kind\` text check (\`kind\` in ('SCREEN_CLAIM', 'SELLER_RESPONSE_REMINDER', 'SELLER_RESPONSE_DEADLINE', 'INSURANCE_GRACE_END')) not null, \`claim_id\` integer not null, \`due_at\` datetime not null, \`status\` text check (\`status\` in ('PENDING', 'DONE', 'FAILED')) not null, \`attempts\` integer not null default 0, \`last_error\` text null, \`created_at\` datetime not null, \`completed_at\` datetime null, constraint \`scheduled_job_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`scheduled_job_claim_id_index\` on \`scheduled_job\` (\`claim_id\`);`);
    this.addSql(
      `create index \`scheduled_job_status_due_at_index\` on \`scheduled_job\` (\`status\`, \`due_at\`);`,
    );

    this.addSql(
      `create table \`product_defence\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`submitted_by_role\` text check (\`submitted_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`statement\` text not null, \`status\` text check (\`status\` in ('SUBMITTED', 'UPHELD', 'REJECTED')) not null, \`submitted_at\` datetime not null, \`decision_reason\` text null, \`decided_at\` datetime null, constraint \`product_defence_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`product_defence_claim_id_index\` on \`product_defence\` (\`claim_id\`);`);

    this.addSql(
      `create table \`ledger_transfer\` (\`id\` text not null, \`kind\` text not null, \`claim_id\` integer null, \`currency\` text not null, \`posted_at\` datetime not null, constraint \`ledger_transfer_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`,
    );
    this.addSql(`create index \`ledger_transfer_claim_id_index\` on \`ledger_transfer\` (\`claim_id\`);`);

    this.addSql(
      `create table \`ledger_entry\` (\`id\` integer not null primary key autoincrement, \`transfer_id\` text not null, \`account_id\` integer not null, \`side\` text check (\`side\` in ('DEBIT', 'CREDIT')) not null, \`amount_minor\` bigint not null, \`currency\` text not null, constraint \`ledger_entry_transfer_id_foreign\` foreign key(\`transfer_id\`) references \`ledger_transfer\`(\`id\`) on update cascade, constraint \`ledger_entry_account_id_foreign\` foreign key(\`account_id\`) references \`ledger_account\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`ledger_entry_transfer_id_index\` on \`ledger_entry\` (\`transfer_id\`);`);
    this.addSql(`create index \`ledger_entry_account_id_index\` on \`ledger_entry\` (\`account_id\`);`);

    this.addSql(
      `create table \`claim_decision\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`kind\` text check (\`kind\` in ('ROUTED_TO_CONCESSION', 'ROUTED_TO_SELLER', 'ACCEPTED_BY_SELLER', 'ACCEPTED_BY_INSURER', 'REJECTED_BY_SELLER', 'REJECTED_BY_INSURER', 'STEPPED_IN_AFTER_SILENCE', 'STEPPED_IN_AFTER_REVIEW', 'REJECTION_UPHELD', 'APPEALED', 'WITHDRAWN', 'DEFENCE_UPHELD', 'DEFENCE_REJECTED')) not null, \`decided_by_role\` text check (\`decided_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`decided_by_subject\` text null, \`reason\` text not null, \`decided_at\` datetime not null, constraint \`claim_decision_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`claim_decision_claim_id_index\` on \`claim_decision\` (\`claim_id\`);`);

    this.addSql(
      `create table \`payout\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`decision_id\` integer not null, \`payer\` text check (\`payer\` in ('MARKETPLACE', 'SELLER', 'INSURER')) not null, \`amount_minor\` bigint not null, \`currency\` text not null, \`status\` text check (\`status\` in ('PENDING', 'COMPLETED')) not null, \`reference\` text null, \`created_at\` datetime not null, \`paid_at\` datetime null, constraint \`payout_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade, constraint \`payout_decision_id_foreign\` foreign key(\`decision_id\`) references \`claim_decision\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create unique index \`payout_claim_id_unique\` on \`payout\` (\`claim_id\`);`);
    this.addSql(`create unique index \`payout_decision_id_unique\` on \`payout\` (\`decision_id\`);`);

    this.addSql(
      `create table \`recovery\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`payout_id\` integer not null, \`debtor\` text check (\`debtor\` in ('MARKETPLACE', 'SELLER', 'INSURER')) not null, \`seller_id\` integer not null, \`insurer_id\` integer null, \`amount_minor\` bigint not null, \`currency\` text not null, \`status\` text check (\`status\` in ('AWAITING_PROOF', 'OPEN', 'RECOVERED', 'CANCELLED')) not null, \`grace_ends_at\` datetime null, \`reason\` text not null, \`opened_at\` datetime not null, \`resolved_at\` datetime null, constraint \`recovery_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade, constraint \`recovery_payout_id_foreign\` foreign key(\`payout_id\`) references \`payout\`(\`id\`) on update cascade, constraint \`recovery_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`recovery_insurer_id_foreign\` foreign key(\`insurer_id\`) references \`insurance_provider\`(\`id\`) on delete set null on update cascade);`,
    );
    this.addSql(`create unique index \`recovery_claim_id_unique\` on \`recovery\` (\`claim_id\`);`);
    this.addSql(`create index \`recovery_payout_id_index\` on \`recovery\` (\`payout_id\`);`);
    this.addSql(`create index \`recovery_seller_id_index\` on \`recovery\` (\`seller_id\`);`);
    this.addSql(`create index \`recovery_insurer_id_index\` on \`recovery\` (\`insurer_id\`);`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`insurance_policy__temp_alter\` (\`id\` integer not null primary key autoincrement, \`seller_id\` integer not null, \`provider_id\` integer not null, \`policy_number\` text not null, \`effective_from\` date not null, \`effective_to\` date not null, \`status\` text check (\`status\` in ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'CANCELLED')) not null, constraint \`insurance_policy_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`insurance_policy_provider_id_foreign\` foreign key(\`provider_id\`) references \`insurance_provider\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `insert into \`insurance_policy__temp_alter\` select \`id\`, \`seller_id\`, \`provider_id\`, \`policy_number\`, \`effective_from\`, \`effective_to\`, \`status\` from \`insurance_policy\`;`,
    );
    this.addSql(`drop table \`insurance_policy\`;`);
    this.addSql(`alter table \`insurance_policy__temp_alter\` rename to \`insurance_policy\`;`);
    this.addSql(`create index \`insurance_policy_seller_id_index\` on \`insurance_policy\` (\`seller_id\`);`);
    this.addSql(
      `create index \`insurance_policy_provider_id_index\` on \`insurance_policy\` (\`provider_id\`);`,
    );
    this.addSql(
      `create unique index \`insurance_policy_provider_id_policy_number_unique\` on \`insurance_policy\` (\`provider_id\`, \`policy_number\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
    this.addSql(
      `alter table \`claim\` add column \`route\` text check (\`route\` in ('CONCESSION', 'SELLER_RESPONSE')) null;`,
    );
    this.addSql(
      `alter table \`claim\` add column \`insurer_id\` integer null constraint \`claim_insurer_id_foreign\` references \`insurance_provider\` (\`id\`) on update cascade on delete set null;`,
    );
    this.addSql(`alter table \`claim\` add column \`respond_by\` datetime null;`);
    this.addSql(
      `alter table \`claim\` add column \`accepted_payer\` text check (\`accepted_payer\` in ('MARKETPLACE', 'SELLER', 'INSURER')) null;`,
    );
    this.addSql(`alter table \`claim\` add column \`denied_at\` datetime null;`);
    this.addSql(`alter table \`claim\` add column \`denial_reason\` text null;`);
    this.addSql(`alter table \`claim\` add column \`appeal_count\` integer not null default 0;`);
    this.addSql(`create index \`claim_insurer_id_index\` on \`claim\` (\`insurer_id\`);`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`claim_evidence__temp_alter\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`kind\` text check (\`kind\` in ('PHOTO', 'VIDEO', 'DOCUMENT', 'RECEIPT', 'MEDICAL_RECORD', 'EXPERT_REPORT', 'OTHER')) not null, \`description\` text not null, \`content_hash\` text not null, \`uri\` text not null, \`added_at\` datetime not null, \`added_by_role\` text check (\`added_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, constraint \`claim_evidence_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `insert into \`claim_evidence__temp_alter\` select \`id\`, \`claim_id\`, \`kind\`, \`description\`, \`content_hash\`, \`uri\`, \`added_at\`, \`added_by_role\` from \`claim_evidence\`;`,
    );
    this.addSql(`drop table \`claim_evidence\`;`);
    this.addSql(`alter table \`claim_evidence__temp_alter\` rename to \`claim_evidence\`;`);
    this.addSql(`create index \`claim_evidence_claim_id_index\` on \`claim_evidence\` (\`claim_id\`);`);
    this.addSql(
      `create index \`claim_evidence_content_hash_index\` on \`claim_evidence\` (\`content_hash\`);`,
    );
    this.addSql(
      `create unique index \`claim_evidence_claim_id_content_hash_unique\` on \`claim_evidence\` (\`claim_id\`, \`content_hash\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`claim_event__temp_alter\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`sequence\` integer not null, \`type\` text check (\`type\` in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED', 'SELLER_NOTIFIED', 'INSURER_NOTIFIED', 'RESPONSE_REMINDER', 'PAYOUT_PROMISED', 'PAYOUT_COMPLETED', 'RECOVERY_OPENED', 'RECOVERY_CANCELLED', 'RECOVERY_COLLECTED', 'DEFENCE_SUBMITTED', 'DEFENCE_DECIDED')) not null, \`occurred_at\` datetime not null, \`actor_role\` text check (\`actor_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`actor_subject\` text null, \`from_status\` text check (\`from_status\` in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED')) null, \`to_status\` text check (\`to_status\` in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'WITHDRAWN', 'CLOSED')) null, \`message\` text not null, constraint \`claim_event_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `insert into \`claim_event__temp_alter\` select \`id\`, \`claim_id\`, \`sequence\`, \`type\`, \`occurred_at\`, \`actor_role\`, \`actor_subject\`, \`from_status\`, \`to_status\`, \`message\` from \`claim_event\`;`,
    );
    this.addSql(`drop table \`claim_event\`;`);
    this.addSql(`alter table \`claim_event__temp_alter\` rename to \`claim_event\`;`);
    this.addSql(`create index \`claim_event_claim_id_index\` on \`claim_event\` (\`claim_id\`);`);
    this.addSql(
      `create unique index \`claim_event_claim_id_sequence_unique\` on \`claim_event\` (\`claim_id\`, \`sequence\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
