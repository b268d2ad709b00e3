import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201112648 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_incident" drop constraint if exists "orderflow_incident_key_unique";`);
    this.addSql(`alter table if exists "orderflow_endpoint_state" drop constraint if exists "orderflow_endpoint_state_endpoint_unique";`);
    this.addSql(`create table if not exists "orderflow_endpoint_state" ("id" text not null, "endpoint" text not null, "consecutive_failures" integer not null default 0, "last_failure_at" timestamptz null, "last_failure" text null, "last_success_at" timestamptz null, "circuit_opened_at" timestamptz null, "blocked_at" timestamptz null, "blocked_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_endpoint_state_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_endpoint_state_deleted_at" ON "orderflow_endpoint_state" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_endpoint_state_endpoint_unique" ON "orderflow_endpoint_state" ("endpoint") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "orderflow_incident" ("id" text not null, "key" text not null, "operation" text not null, "kind" text check ("kind" in ('circuit_open', 'permanent', 'item_failures', 'line_failures', 'dead_letters', 'alarm')) not null, "status" text check ("status" in ('open', 'closed')) not null default 'open', "title" text not null, "description" text not null, "occurrences" integer not null default 1, "opened_at" timestamptz not null, "last_seen_at" timestamptz not null, "closed_at" timestamptz null, "closed_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_incident_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_incident_deleted_at" ON "orderflow_incident" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_incident_key_unique" ON "orderflow_incident" ("key") WHERE status = 'open' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_incident_status_opened_at" ON "orderflow_incident" ("status", "opened_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_endpoint_state" cascade;`);

    this.addSql(`drop table if exists "orderflow_incident" cascade;`);
  }

}
