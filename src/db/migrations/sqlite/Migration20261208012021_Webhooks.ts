import { Migration } from '@mikro-orm/migrations';

export class Migration20261208012021_Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`webhook_endpoint\` (\`id\` integer not null primary key autoincrement, \`owner_role\` text check (\`owner_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT')) not null, \`owner_subject\` text not null, \`url\` text not null, \`description\` text not null, \`event_type_list\` text not null, \`secret\` text not null, \`previous_secret\` text null, \`previous_secret_expires_at\` datetime null, \`status\` text check (\`status\` in ('ACTIVE', 'DISABLED')) not null default 'ACTIVE', \`disabled_reason\` text null, \`disabled_at\` datetime null, \`failing_since\` datetime null, \`degraded\` integer not null default false, \`cursor\` bigint not null, \`leased_until\` datetime null, \`lease_holder\` text null, \`next_attempt_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null);`,
    );
    this.addSql(
      `create index \`webhook_endpoint_status_next_attempt_at_index\` on \`webhook_endpoint\` (\`status\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `create index \`webhook_endpoint_owner_role_owner_subject_id_index\` on \`webhook_endpoint\` (\`owner_role\`, \`owner_subject\`, \`id\`);`,
    );

    this.addSql(
      `create table \`webhook_delivery\` (\`id\` integer not null primary key autoincrement, \`endpoint_id\` integer not null, \`webhook_id\` text not null, \`event_type\` text not null, \`event_position\` bigint null, \`payload\` text not null, \`status\` text check (\`status\` in ('PENDING', 'SUCCEEDED', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`first_attempt_at\` datetime null, \`last_attempt_at\` datetime null, \`last_response_status\` integer null, \`last_latency_ms\` integer null, \`last_response_excerpt\` text null, \`last_error\` text null, \`created_at\` datetime not null, \`completed_at\` datetime null, constraint \`webhook_delivery_endpoint_id_foreign\` foreign key(\`endpoint_id\`) references \`webhook_endpoint\`(\`id\`) on delete cascade on update cascade);`,
    );
    this.addSql(
      `create index \`webhook_delivery_endpoint_id_index\` on \`webhook_delivery\` (\`endpoint_id\`);`,
    );
    this.addSql(
      `create index \`webhook_delivery_endpoint_id_id_index\` on \`webhook_delivery\` (\`endpoint_id\`, \`id\`);`,
    );
    this.addSql(
      `create index \`webhook_delivery_endpoint_id_status_id_index\` on \`webhook_delivery\` (\`endpoint_id\`, \`status\`, \`id\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`webhook_delivery\`;`);
    this.addSql(`drop table if exists \`webhook_endpoint\`;`);
  }
}
