import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201180347 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_stock_drift" drop constraint if exists "orderflow_stock_drift_sku_location_id_unique";`);
    this.addSql(`alter table if exists "orderflow_api_session" drop constraint if exists "orderflow_api_session_token_hash_unique";`);
    this.addSql(`create table if not exists "orderflow_api_session" ("id" text not null, "face" text check ("face" in ('m2', 'm1')) not null, "token_hash" text not null, "username" text not null, "expires_at" timestamptz not null, "last_used_at" timestamptz null, "ended_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_api_session_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_api_session_deleted_at" ON "orderflow_api_session" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_api_session_token_hash_unique" ON "orderflow_api_session" ("token_hash") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_api_session_expires_at" ON "orderflow_api_session" ("expires_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_sequence_reset" ("id" text not null, "scope" text check ("scope" in ('sku', 'location', 'sku_location', 'all')) not null, "sku" text null, "location_id" text null, "cleared_count" integer not null default 0, "highest_seq_id" integer null, "reset_by" text null, "reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_sequence_reset_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_sequence_reset_deleted_at" ON "orderflow_sequence_reset" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_sequence_reset_created_at" ON "orderflow_sequence_reset" ("created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_stock_drift" ("id" text not null, "sku" text not null, "site" text null, "location_id" text not null, "inventory_item_id" text null, "orderflow_qty" integer not null, "orderflow_inventory_id" integer not null, "expected_qty" integer not null, "actual_qty" integer not null, "status" text check ("status" in ('open', 'accepted', 'ignored', 'resolved')) not null default 'open', "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, "closed_at" timestamptz null, "closed_by" text null, "request_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_stock_drift_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_stock_drift_deleted_at" ON "orderflow_stock_drift" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_stock_drift_sku_location_id_unique" ON "orderflow_stock_drift" ("sku", "location_id") WHERE status = 'open' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_stock_drift_status_first_seen_at" ON "orderflow_stock_drift" ("status", "first_seen_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "orderflow_request" add column if not exists "parcel_key" text null, add column if not exists "kind" text null, add column if not exists "first_of_kind" boolean not null default false;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_parcel_key" ON "orderflow_request" ("parcel_key") WHERE deleted_at IS NULL AND parcel_key IS NOT NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_type_kind" ON "orderflow_request" ("type", "kind") WHERE deleted_at IS NULL AND kind IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_api_session" cascade;`);

    this.addSql(`drop table if exists "orderflow_sequence_reset" cascade;`);

    this.addSql(`drop table if exists "orderflow_stock_drift" cascade;`);

    this.addSql(`drop index if exists "IDX_orderflow_request_parcel_key";`);
    this.addSql(`drop index if exists "IDX_orderflow_request_type_kind";`);
    this.addSql(`alter table if exists "orderflow_request" drop column if exists "parcel_key", drop column if exists "kind", drop column if exists "first_of_kind";`);
  }

}
