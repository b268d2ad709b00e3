import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201151729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_return_line" drop constraint if exists "orderflow_return_line_return_record_id_line_number_unique";`);
    this.addSql(`alter table if exists "orderflow_return" drop constraint if exists "orderflow_return_return_id_unique";`);
    this.addSql(`alter table if exists "orderflow_applied_return" drop constraint if exists "orderflow_applied_return_orderflow_id_unique";`);
    this.addSql(`create table if not exists "orderflow_applied_return" ("id" text not null, "orderflow_id" text not null, "status" text check ("status" in ('received', 'unmatched', 'failed')) not null, "order_reference" text null, "originating_order_reference" text null, "completed" text null, "line_count" integer not null default 0, "total_quantity" integer not null default 0, "lines_text" text null, "return_record_id" text null, "order_id" text null, "return_id" text null, "restocked_quantity" integer not null default 0, "damaged_quantity" integer not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_applied_return_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_applied_return_deleted_at" ON "orderflow_applied_return" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_applied_return_orderflow_id_unique" ON "orderflow_applied_return" ("orderflow_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_applied_return_return_record_id" ON "orderflow_applied_return" ("return_record_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_despatch_pull" ("id" text not null, "from_at" timestamptz not null, "to_at" timestamptz not null, "status" text check ("status" in ('success', 'partial', 'failed')) not null, "http_status" integer null, "duration_ms" integer null, "shipment_count" integer not null default 0, "stored_count" integer not null default 0, "known_count" integer not null default 0, "skipped_count" integer not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_despatch_pull_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_pull_deleted_at" ON "orderflow_despatch_pull" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_pull_status_to_at" ON "orderflow_despatch_pull" ("status", "to_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_kit_component" ("id" text not null, "order_id" text not null, "line_item_id" text not null, "sku" text not null, "quantity" integer not null, "request_id" text not null, "tracking_numbers" jsonb null, "fulfillment_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_kit_component_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_deleted_at" ON "orderflow_kit_component" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_order_id" ON "orderflow_kit_component" ("order_id") WHERE deleted_at IS NULL AND fulfillment_id IS NULL;`);

    this.addSql(`create table if not exists "orderflow_return" ("id" text not null, "return_id" text not null, "order_id" text not null, "order_reference" text null, "authorisation" text not null, "status" text check ("status" in ('pending', 'sent', 'received', 'failed', 'skipped')) not null default 'pending', "skip_reason" text null, "return_type" text null, "note" text null, "requested_at" timestamptz not null, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "last_error" text null, "sent_at" timestamptz null, "orderflow_return_id" text null, "received_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_return_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_deleted_at" ON "orderflow_return" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_return_return_id_unique" ON "orderflow_return" ("return_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_order_id" ON "orderflow_return" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_order_reference_status" ON "orderflow_return" ("order_reference", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_status_next_attempt_at" ON "orderflow_return" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_return_line" ("id" text not null, "return_record_id" text not null, "line_number" integer not null, "item_id" text not null, "sku" text not null, "quantity" integer not null, "medusa_reason" text null, "reason" text not null, "condition" text not null, "received_quantity" integer not null default 0, "damaged_quantity" integer not null default 0, "applied_condition" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_return_line_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_line_deleted_at" ON "orderflow_return_line" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_return_line_return_record_id_line_number_unique" ON "orderflow_return_line" ("return_record_id", "line_number") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_return_pull" ("id" text not null, "from_at" timestamptz not null, "to_at" timestamptz not null, "status" text check ("status" in ('success', 'partial', 'failed')) not null, "http_status" integer null, "duration_ms" integer null, "return_count" integer not null default 0, "received_count" integer not null default 0, "unmatched_count" integer not null default 0, "failed_count" integer not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_return_pull_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_pull_deleted_at" ON "orderflow_return_pull" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_return_pull_status_to_at" ON "orderflow_return_pull" ("status", "to_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "orderflow_export_item" add column if not exists "edit_status" text check ("edit_status" in ('synced', 'refused', 'blocked')) null, add column if not exists "edit_message" text null, add column if not exists "edit_at" timestamptz null, add column if not exists "synced_order_version" integer null, add column if not exists "synced_contact_hash" text null, add column if not exists "order_id" text null, add column if not exists "change_kind" text check ("change_kind" in ('claim', 'exchange')) null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_order_id" ON "orderflow_export_item" ("order_id") WHERE deleted_at IS NULL AND order_id IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_applied_return" cascade;`);

    this.addSql(`drop table if exists "orderflow_despatch_pull" cascade;`);

    this.addSql(`drop table if exists "orderflow_kit_component" cascade;`);

    this.addSql(`drop table if exists "orderflow_return" cascade;`);

    this.addSql(`drop table if exists "orderflow_return_line" cascade;`);

    this.addSql(`drop table if exists "orderflow_return_pull" cascade;`);

    this.addSql(`drop index if exists "IDX_orderflow_export_item_order_id";`);
    this.addSql(`alter table if exists "orderflow_export_item" drop column if exists "edit_status", drop column if exists "edit_message", drop column if exists "edit_at", drop column if exists "synced_order_version", drop column if exists "synced_contact_hash", drop column if exists "order_id", drop column if exists "change_kind";`);
  }

}
