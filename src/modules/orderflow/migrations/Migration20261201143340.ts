import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201143340 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "edit_status" text check ("edit_status" in ('synced', 'refused', 'blocked')) null, add column if not exists "edit_message" text null, add column if not exists "edit_at" timestamptz null, add column if not exists "synced_order_version" integer null, add column if not exists "synced_contact_hash" text null, add column if not exists "order_id" text null, add column if not exists "change_kind" text check ("change_kind" in ('claim', 'exchange')) null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_order_id" ON "orderflow_export_item" ("order_id") WHERE deleted_at IS NULL AND order_id IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_orderflow_export_item_order_id";`);
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "edit_status", drop column if exists "edit_message", drop column if exists "edit_at", drop column if exists "synced_order_version", drop column if exists "synced_contact_hash", drop column if exists "order_id", drop column if exists "change_kind";`);
  }

}
