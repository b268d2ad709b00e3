import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201112148 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_request" drop constraint if exists "orderflow_request_status_check";`);

    this.addSql(`alter table if exists "orderflow_request" add column if not exists "resolved_at" timestamptz null, add column if not exists "resolved_by" text null;`);
    this.addSql(`alter table if exists "orderflow_request" add constraint "orderflow_request_status_check" check("status" in ('pending', 'processing', 'processed', 'failed', 'duplicate', 'processed_with_errors', 'resolved'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_request" drop constraint if exists "orderflow_request_status_check";`);

    this.addSql(`alter table if exists "orderflow_request" drop column if exists "resolved_at", drop column if exists "resolved_by";`);

    this.addSql(`alter table if exists "orderflow_request" add constraint "orderflow_request_status_check" check("status" in ('pending', 'processing', 'processed', 'failed', 'duplicate'));`);
  }

}
