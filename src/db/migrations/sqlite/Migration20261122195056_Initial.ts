import { Migration } from '@mikro-orm/migrations';

export class Migration20261122195056_Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`customer\` (\`id\` integer not null primary key autoincrement, \`external_ref\` text not null, \`name\` text not null, \`email\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`customer_external_ref_unique\` on \`customer\` (\`external_ref\`);`);

    this.addSql(
      `create table \`idempotency_record\` (\`id\` integer not null primary key autoincrement, \`scope\` text not null, \`operation\` text not null, \`key\` text not null, \`request_hash\` text not null, \`resource_id\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`idempotency_record_scope_operation_key_unique\` on \`idempotency_record\` (\`scope\`, \`operation\`, \`key\`);`,
    );

    this.addSql(
      `create table \`insurance_provider\` (\`id\` integer not null primary key autoincrement, \`external_ref\` text not null, \`name\` text not null);`,
    );
    this.addSql(
      `create unique index \`insurance_provider_external_ref_unique\` on \`insurance_provider\` (\`external_ref\`);`,
    );

    this.addSql(
      `create table \`product\` (\`id\` integer not null primary key autoincrement, \`external_ref\` text not null, \`name\` text not null, \`category\` text not null, \`price_minor\` bigint not null, \`currency\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`product_external_ref_unique\` on \`product\` (\`external_ref\`);`);

    this.addSql(
      `create table \`seller\` (\`id\` integer not null primary key autoincrement, \`external_ref\` text not null, \`name\` text not null, \`contact_email\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`seller_external_ref_unique\` on \`seller\` (\`external_ref\`);`);

    this.addSql(
      `create table \`customer_order\` (\`id\` integer not null primary key autoincrement, \`external_ref\` text not null, \`customer_id\` integer not null, \`seller_id\` integer not null, \`product_id\` integer not null, \`quantity\` integer not null, \`price_minor\` bigint not null, \`currency\` text not null, \`purchased_at\` datetime not null, \`delivered_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`customer_order_customer_id_foreign\` foreign key(\`customer_id\`) references \`customer\`(\`id\`) on update cascade, constraint \`customer_order_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`customer_order_product_id_foreign\` foreign key(\`product_id\`) references \`product\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create unique index \`customer_order_external_ref_unique\` on \`customer_order\` (\`external_ref\`);`,
    );
    this.addSql(`create index \`customer_order_customer_id_index\` on \`customer_order\` (\`customer_id\`);`);
    this.addSql(`create index \`customer_order_seller_id_index\` on \`customer_order\` (\`seller_id\`);`);
    this.addSql(`create index \`customer_order_product_id_index\` on \`customer_order\` (\`product_id\`);`);

    this.addSql(
      `create table \`insurance_policy\` (\`id\` integer not null primary key autoincrement, \`seller_id\` integer not null, \`provider_id\` integer not null, \`policy_number\` text not null, \`effective_from\` date not null, \`effective_to\` date not null, \`status\` text check (\`status\` in ('PENDING_VERIFICATION', 'VERIFIED', 'REJECTED', 'CANCELLED')) not null, constraint \`insurance_policy_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`insurance_policy_provider_id_foreign\` foreign key(\`provider_id\`) references \`insurance_provider\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`insurance_policy_seller_id_index\` on \`insurance_policy\` (\`seller_id\`);`);
    this.addSql(
      `create index \`insurance_policy_provider_id_index\` on \`insurance_policy\` (\`provider_id\`);`,
    );
    this.addSql(
      `create unique index \`insurance_policy_provider_id_policy_number_unique\` on \`insurance_policy\` (\`provider_id\`, \`policy_number\`);`,
    );

    this.addSql(
      `create table \`claim\` (\`id\` integer not null primary key autoincrement, \`order_id\` integer not null, \`customer_id\` integer not null, \`seller_id\` integer not null, \`product_id\` integer not null, \`covers_property_damage\` integer not null, \`covers_personal_injury\` integer not null, \`status\` text check (\`status\` in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) not null, \`incident_date\` date not null, \`description\` text not null, \`claimed_amount_minor\` bigint not null, \`currency\` text not null, \`filed_at\` datetime not null, \`filed_by_role\` text check (\`filed_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, \`filed_by_subject\` text not null, \`released_to_seller_at\` datetime null, \`last_event_sequence\` integer not null default 0, \`version\` integer not null default 1, \`updated_at\` datetime not null, constraint \`claim_order_id_foreign\` foreign key(\`order_id\`) references \`customer_order\`(\`id\`) on update cascade, constraint \`claim_customer_id_foreign\` foreign key(\`customer_id\`) references \`customer\`(\`id\`) on update cascade, constraint \`claim_seller_id_foreign\` foreign key(\`seller_id\`) references \`seller\`(\`id\`) on update cascade, constraint \`claim_product_id_foreign\` foreign key(\`product_id\`) references \`product\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`claim_order_id_index\` on \`claim\` (\`order_id\`);`);
    this.addSql(`create index \`claim_customer_id_index\` on \`claim\` (\`customer_id\`);`);
    this.addSql(`create index \`claim_seller_id_index\` on \`claim\` (\`seller_id\`);`);
    this.addSql(`create index \`claim_product_id_index\` on \`claim\` (\`product_id\`);`);
    this.addSql(`create index \`claim_status_index\` on \`claim\` (\`status\`);`);
    this.addSql(`create index \`claim_order_id_status_index\` on \`claim\` (\`order_id\`, \`status\`);`);
    this.addSql(`create index \`claim_filed_at_id_index\` on \`claim\` (\`filed_at\`, \`id\`);`);

    this.addSql(
      `create table \`claim_injury_details\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`description\` text not null, \`medically_treated\` integer not null, \`treatment_details\` text null, constraint \`claim_injury_details_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create unique index \`claim_injury_details_claim_id_unique\` on \`claim_injury_details\` (\`claim_id\`);`,
    );

    this.addSql(
      `create table \`claim_evidence\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`kind\` text check (\`kind\` in ('PHOTO', 'VIDEO', 'DOCUMENT', 'RECEIPT', 'MEDICAL_RECORD', 'EXPERT_REPORT', 'OTHER')) not null, \`description\` text not null, \`content_hash\` text not null, \`uri\` text not null, \`added_at\` datetime not null, \`added_by_role\` text check (\`added_by_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, constraint \`claim_evidence_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`claim_evidence_claim_id_index\` on \`claim_evidence\` (\`claim_id\`);`);
    this.addSql(
      `create index \`claim_evidence_content_hash_index\` on \`claim_evidence\` (\`content_hash\`);`,
    );
    this.addSql(
      `create unique index \`claim_evidence_claim_id_content_hash_unique\` on \`claim_evidence\` (\`claim_id\`, \`content_hash\`);`,
    );

    this.addSql(
      `create table \`claim_event\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`sequence\` integer not null, \`type\` text check (\`type\` in ('CLAIM_FILED', 'EVIDENCE_ADDED', 'STATUS_CHANGED')) not null, \`occurred_at\` datetime not null, \`actor_role\` text check (\`actor_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`actor_subject\` text null, \`from_status\` text check (\`from_status\` in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) null, \`to_status\` text check (\`to_status\` in ('SUBMITTED', 'SCREENING', 'EXPERT_REVIEW', 'APPROVED_CONCESSION', 'AWAITING_SELLER', 'SELLER_ACCEPTED', 'SELLER_REJECTED', 'MARKETPLACE_REVIEW', 'STEPPED_IN', 'PAID', 'DENIED', 'APPEALED', 'WITHDRAWN', 'CLOSED')) null, \`message\` text not null, constraint \`claim_event_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(`create index \`claim_event_claim_id_index\` on \`claim_event\` (\`claim_id\`);`);
    this.addSql(
      `create unique index \`claim_event_claim_id_sequence_unique\` on \`claim_event\` (\`claim_id\`, \`sequence\`);`,
    );
  }
}
