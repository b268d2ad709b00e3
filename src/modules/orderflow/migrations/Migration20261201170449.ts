import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201170449 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "orderflow_request" add column if not exists "parcel_key" text null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_request_parcel_key" ON "orderflow_request" ("parcel_key") WHERE deleted_at IS NULL AND parcel_key IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_orderflow_request_parcel_key";`);
    this.addSql(`alter table if exists "orderflow_request" drop column if exists "parcel_key";`);
  }

}
