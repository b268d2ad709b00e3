import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201144901 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "orderflow_kit_component" ("id" text not null, "order_id" text not null, "line_item_id" text not null, "sku" text not null, "quantity" integer not null, "request_id" text not null, "tracking_numbers" jsonb null, "fulfillment_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "orderflow_kit_component_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_deleted_at" ON "orderflow_kit_component" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_order_id" ON "orderflow_kit_component" ("order_id") WHERE deleted_at IS NULL AND fulfillment_id IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orderflow_kit_component" cascade;`);
  }

}
