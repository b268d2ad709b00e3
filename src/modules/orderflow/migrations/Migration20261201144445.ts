import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201144445 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "orderflow_despatch_pull" ("id" text not null, "from_at" timestamptz not null, "to_at" timestamptz not null, "status" text check ("status" in ('success', 'partial', 'failed')) not null, "http_status" integer null, "duration_ms" integer null, "shipment_count" integer not null default 0, "stored_count" integer not null default 0, "known_count" integer not null default 0, "skipped_count" integer not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_despatch_pull_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_pull_deleted_at" ON "orderflow_despatch_pull" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_despatch_pull_status_to_at" ON "orderflow_despatch_pull" ("status", "to_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_despatch_pull" cascade;`);
  }

}
