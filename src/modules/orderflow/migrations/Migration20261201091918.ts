import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201091918 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "unconfirmed_sent_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "unconfirmed_sent_at";`);
  }

}
