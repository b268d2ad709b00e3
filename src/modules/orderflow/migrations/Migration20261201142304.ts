import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201142304 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "change_status" text check ("change_status" in ('synced', 'refused', 'blocked')) null, add column if not exists "change_message" text null, add column if not exists "change_at" timestamptz null, add column if not exists "synced_order_version" integer null, add column if not exists "synced_contact_hash" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "change_status", drop column if exists "change_message", drop column if exists "change_at", drop column if exists "synced_order_version", drop column if exists "synced_contact_hash";`);
  }

}
