import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201111331 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "send_started_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "send_started_at";`);
  }

}
