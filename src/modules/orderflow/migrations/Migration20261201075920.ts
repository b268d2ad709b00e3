import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201075920 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "claimed_by" text null, add column if not exists "claimed_until" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "claimed_by", drop column if exists "claimed_until";`);
  }

}
