import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181638_DescriptionBandsKeyedByBand extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "claim_description_band" drop constraint "claim_description_band_claim_id_foreign";`,
    );
    this.addSql(`drop index "claim_description_band_band_index";`);
    this.addSql(
      `alter table "claim_description_band" drop constraint "claim_description_band_claim_id_band_unique";`,
    );
    this.addSql(`alter table "claim_description_band" drop constraint "claim_description_band_pkey";`);
    this.addSql(`alter table "claim_description_band" drop column "id";`);
    this.addSql(
      `alter table "claim_description_band" add constraint "claim_description_band_pkey" primary key ("band", "claim_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "claim_description_band" drop constraint "claim_description_band_pkey";`);
    this.addSql(`alter table "claim_description_band" add column "id" serial primary key;`);
    this.addSql(
      `alter table "claim_description_band" add constraint "claim_description_band_claim_id_foreign" foreign key ("claim_id") references "claim" ("id") on update cascade;`,
    );
    this.addSql(`create index "claim_description_band_band_index" on "claim_description_band" ("band");`);
    this.addSql(
      `alter table "claim_description_band" add constraint "claim_description_band_claim_id_band_unique" unique ("claim_id", "band");`,
    );
  }
}
