import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202040909 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_request_id" ON "orderflow_kit_component" ("request_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_kit_component_line_item_id" ON "orderflow_kit_component" ("line_item_id") WHERE deleted_at IS NULL AND fulfillment_id IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_orderflow_kit_component_request_id";`);
    this.addSql(`drop index if exists "IDX_orderflow_kit_component_line_item_id";`);
  }

}
