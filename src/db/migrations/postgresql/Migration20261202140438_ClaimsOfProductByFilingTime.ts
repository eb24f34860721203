import { Migration } from '@mikro-orm/migrations';

export class Migration20261202140438_ClaimsOfProductByFilingTime extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "claim_product_id_index";`);

    this.addSql(
      `create index "claim_product_id_filed_at_id_index" on "claim" ("product_id", "filed_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "claim_product_id_filed_at_id_index";`);

    this.addSql(`create index "claim_product_id_index" on "claim" ("product_id");`);
  }
}
