import { Migration } from '@mikro-orm/migrations';

export class Migration20261201221947_SensitiveDataAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`sensitive_data_access\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`kind\` text check (\`kind\` in ('INJURY_DETAILS', 'MEDICAL_RECORD')) not null, \`viewer_role\` text check (\`viewer_role\` in ('CUSTOMER', 'SELLER', 'INSURER', 'AGENT', 'FRAUD_EXPERT', 'SYSTEM')) not null, \`viewer_subject\` text not null, \`accessed_at\` datetime not null, constraint \`sensitive_data_access_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `create index \`sensitive_data_access_claim_id_index\` on \`sensitive_data_access\` (\`claim_id\`);`,
    );
    this.addSql(
      `create index \`sensitive_data_access_accessed_at_index\` on \`sensitive_data_access\` (\`accessed_at\`);`,
    );
    this.addSql(
      `create index \`sensitive_data_access_claim_id_accessed_at_index\` on \`sensitive_data_access\` (\`claim_id\`, \`accessed_at\`);`,
    );
  }
}
