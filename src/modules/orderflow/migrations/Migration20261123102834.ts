import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123102834 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_setting" drop constraint if exists "orderflow_setting_key_unique";`);
    this.addSql(`alter table if exists "orderflow_request" drop constraint if exists "orderflow_request_dedupe_key_unique";`);
    this.addSql(`alter table if exists "orderflow_operation_run" drop constraint if exists "orderflow_operation_run_operation_unique";`);
    this.addSql(`alter table if exists "orderflow_inventory_sequence" drop constraint if exists "orderflow_inventory_sequence_sku_location_id_unique";`);
    this.addSql(`alter table if exists "orderflow_export_item" drop constraint if exists "orderflow_export_item_entity_type_entity_id_unique";`);
    this.addSql(`alter table if exists "orderflow_despatch" drop constraint if exists "orderflow_despatch_request_id_unique";`);
    this.addSql(`create table if not exists "orderflow_despatch" ("id" text not null, "request_id" text not null, "order_id" text not null, "order_reference" text not null, "fulfillment_id" text null, "tracking_numbers" jsonb null, "courier_name" text null, "service_name" text null, "date_shipped" timestamptz null, "comment" text null, "notified_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_despatch_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_deleted_at" ON "orderflow_despatch" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_despatch_request_id_unique" ON "orderflow_despatch" ("request_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_order_id" ON "orderflow_despatch" ("order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_export" ("id" text not null, "operation" text not null, "trigger" text not null default 'schedule', "status" text check ("status" in ('success', 'partial', 'failed')) not null, "http_status" integer null, "duration_ms" integer not null default 0, "item_count" integer not null default 0, "success_count" integer not null default 0, "duplicate_count" integer not null default 0, "failure_count" integer not null default 0, "request_body" text null, "response_body" text null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_export_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_deleted_at" ON "orderflow_export" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_operation_created_at" ON "orderflow_export" ("operation", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_export_item" ("id" text not null, "entity_type" text check ("entity_type" in ('product', 'order')) not null, "entity_id" text not null, "reference" text not null, "variant_id" text null, "product_id" text null, "status" text check ("status" in ('pending', 'queued', 'exported', 'failed', 'cancelled', 'skipped')) not null default 'pending', "skip_reason" text null, "activated" boolean not null default true, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "queued_at" timestamptz null, "changed_at" timestamptz null, "exported_at" timestamptz null, "last_error" text null, "last_export_id" text null, "cancel_status" text null, "cancel_attempts" integer not null default 0, "cancel_next_attempt_at" timestamptz null, "cancel_error" text null, "cancelled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_export_item_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_deleted_at" ON "orderflow_export_item" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_export_item_entity_type_entity_id_unique" ON "orderflow_export_item" ("entity_type", "entity_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_entity_type_status_next_attempt_at" ON "orderflow_export_item" ("entity_type", "status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_entity_type_reference" ON "orderflow_export_item" ("entity_type", "reference") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_entity_type_cancel_status" ON "orderflow_export_item" ("entity_type", "cancel_status") WHERE deleted_at IS NULL AND cancel_status IS NOT NULL;`);

    this.addSql(`create table if not exists "orderflow_export_line" ("id" text not null, "reference" text not null, "entity_id" text null, "outcome" text check ("outcome" in ('success', 'duplicate', 'failure', 'missing')) not null, "message" text null, "detail" text null, "export_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_export_line_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_line_export_id" ON "orderflow_export_line" ("export_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_line_deleted_at" ON "orderflow_export_line" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_line_reference" ON "orderflow_export_line" ("reference") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_import" ("id" text not null, "type" text check ("type" in ('inventory', 'shipment')) not null, "request_id" text not null, "message_seq_id" integer null, "status" text check ("status" in ('success', 'partial', 'failed')) not null, "line_count" integer not null default 0, "applied_count" integer not null default 0, "stale_count" integer not null default 0, "unknown_count" integer not null default 0, "duplicate_count" integer not null default 0, "failed_count" integer not null default 0, "duration_ms" integer not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_import_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_deleted_at" ON "orderflow_import" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_request_id" ON "orderflow_import" ("request_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_type_created_at" ON "orderflow_import" ("type", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_import_line" ("id" text not null, "sku" text not null, "source" text null, "location_id" text null, "inventory_item_id" text null, "received_qty" integer null, "seq_id" integer null, "previous_seq_id" integer null, "unsent_order_qty" integer null, "active_cart_qty" integer null, "reserved_qty" integer null, "applied_qty" integer null, "order_id" text null, "line_item_id" text null, "fulfillment_id" text null, "outcome" text check ("outcome" in ('applied', 'stale', 'unknown_sku', 'failed', 'shipped', 'duplicate')) not null, "message" text null, "import_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_import_line_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_line_import_id" ON "orderflow_import_line" ("import_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_line_deleted_at" ON "orderflow_import_line" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_line_sku" ON "orderflow_import_line" ("sku") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_import_line_order_id" ON "orderflow_import_line" ("order_id") WHERE deleted_at IS NULL AND order_id IS NOT NULL;`);

    this.addSql(`create table if not exists "orderflow_inventory_sequence" ("id" text not null, "sku" text not null, "location_id" text not null, "seq_id" integer not null, "request_id" text null, "applied_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_inventory_sequence_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_inventory_sequence_deleted_at" ON "orderflow_inventory_sequence" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_inventory_sequence_sku_location_id_unique" ON "orderflow_inventory_sequence" ("sku", "location_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_operation_run" ("id" text not null, "operation" text not null, "last_due_at" timestamptz null, "last_started_at" timestamptz null, "last_finished_at" timestamptz null, "last_status" text null, "last_error" text null, "last_summary" jsonb null, "run_count" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_operation_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_operation_run_deleted_at" ON "orderflow_operation_run" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_operation_run_operation_unique" ON "orderflow_operation_run" ("operation") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_request" ("id" text not null, "type" text check ("type" in ('inventory', 'shipment')) not null, "message_seq_id" integer null, "dedupe_key" text not null, "status" text check ("status" in ('pending', 'processing', 'processed', 'failed', 'duplicate')) not null default 'pending', "content_type" text not null, "body" text null, "body_bytes" integer not null default 0, "payload" jsonb null, "line_count" integer not null default 0, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "claimed_until" timestamptz null, "claimed_by" text null, "received_at" timestamptz not null, "processed_at" timestamptz null, "error" text null, "duplicate_of_id" text null, "import_id" text null, "remote_address" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_request_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_deleted_at" ON "orderflow_request" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_request_dedupe_key_unique" ON "orderflow_request" ("dedupe_key") WHERE deleted_at IS NULL AND status <> 'duplicate';`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_type_status_message_seq_id" ON "orderflow_request" ("type", "status", "message_seq_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_received_at" ON "orderflow_request" ("received_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_setting" ("id" text not null, "key" text not null, "value" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_setting_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_setting_deleted_at" ON "orderflow_setting" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_setting_key_unique" ON "orderflow_setting" ("key") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "orderflow_export_line" add constraint "orderflow_export_line_export_id_foreign" foreign key ("export_id") references "orderflow_export" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "orderflow_import_line" add constraint "orderflow_import_line_import_id_foreign" foreign key ("import_id") references "orderflow_import" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_export_line" drop constraint if exists "orderflow_export_line_export_id_foreign";`);

    this.addSql(`alter table if exists "orderflow_import_line" drop constraint if exists "orderflow_import_line_import_id_foreign";`);

    this.addSql(`drop table if exists "orderflow_despatch" cascade;`);

    this.addSql(`drop table if exists "orderflow_export" cascade;`);

    this.addSql(`drop table if exists "orderflow_export_item" cascade;`);

    this.addSql(`drop table if exists "orderflow_export_line" cascade;`);

    this.addSql(`drop table if exists "orderflow_import" cascade;`);

    this.addSql(`drop table if exists "orderflow_import_line" cascade;`);

    this.addSql(`drop table if exists "orderflow_inventory_sequence" cascade;`);

    this.addSql(`drop table if exists "orderflow_operation_run" cascade;`);

    this.addSql(`drop table if exists "orderflow_request" cascade;`);

    this.addSql(`drop table if exists "orderflow_setting" cascade;`);
  }

}
