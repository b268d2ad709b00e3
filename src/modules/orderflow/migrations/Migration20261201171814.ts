import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201171814 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_api_session" drop constraint if exists "orderflow_api_session_token_hash_unique";`);
    this.addSql(`create table if not exists "orderflow_api_session" ("id" text not null, "face" text check ("face" in ('m2', 'm1')) not null, "token_hash" text not null, "username" text not null, "expires_at" timestamptz not null, "last_used_at" timestamptz null, "ended_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_api_session_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_api_session_deleted_at" ON "orderflow_api_session" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_orderflow_api_session_token_hash_unique" ON "orderflow_api_session" ("token_hash") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_api_session_expires_at" ON "orderflow_api_session" ("expires_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_api_session" cascade;`);
  }

}
