import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181638_DescriptionBandsKeyedByBand extends Migration {
  // SQLite cannot change a table's primary key in place: the table is rebuilt with the same rows.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`claim_description_band__keyed\` (\`band\` text not null, \`claim_id\` integer not null, primary key (\`band\`, \`claim_id\`));`,
    );
    this.addSql(
      `insert into \`claim_description_band__keyed\` (\`band\`, \`claim_id\`) select \`band\`, \`claim_id\` from \`claim_description_band\`;`,
    );
    this.addSql(`drop table \`claim_description_band\`;`);
    this.addSql(`alter table \`claim_description_band__keyed\` rename to \`claim_description_band\`;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create table \`claim_description_band__numbered\` (\`id\` integer not null primary key autoincrement, \`claim_id\` integer not null, \`band\` text not null, constraint \`claim_description_band_claim_id_foreign\` foreign key(\`claim_id\`) references \`claim\`(\`id\`) on update cascade);`,
    );
    this.addSql(
      `insert into \`claim_description_band__numbered\` (\`claim_id\`, \`band\`) select \`claim_id\`, \`band\` from \`claim_description_band\` order by \`claim_id\`, \`band\`;`,
    );
    this.addSql(`drop table \`claim_description_band\`;`);
    this.addSql(`alter table \`claim_description_band__numbered\` rename to \`claim_description_band\`;`);
    this.addSql(
      `create index \`claim_description_band_claim_id_index\` on \`claim_description_band\` (\`claim_id\`);`,
    );
    this.addSql(
      `create index \`claim_description_band_band_index\` on \`claim_description_band\` (\`band\`);`,
    );
    this.addSql(
      `create unique index \`claim_description_band_claim_id_band_unique\` on \`claim_description_band\` (\`claim_id\`, \`band\`);`,
    );
  }
}
