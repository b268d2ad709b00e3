import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201211044 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_orderflow_export_item_entity_type_changed_at_id" ON "orderflow_export_item" ("entity_type", "changed_at", "id") WHERE deleted_at IS NULL AND status IN ('pending', 'failed');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_orderflow_export_item_entity_type_changed_at_id";`);
  }

}
