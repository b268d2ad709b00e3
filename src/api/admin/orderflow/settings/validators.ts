import { z } from "@medusajs/framework/zod"
import { settingsPatchSchema, SettingsPatch, upgradeLegacySettings } from "../../../../lib/settings"

/**
 * POST /admin/orderflow/settings: any subset of groups and fields (DESIGN.md
 * section 6). Old field names (lib/settings/legacy) are translated first, so
 * scripts written against them keep working.
 */
export const AdminUpdateOrderflowSettings = z.preprocess(
  (body) => (body && typeof body === "object" && !Array.isArray(body) ? upgradeLegacySettings(body as SettingsPatch) : body),
  settingsPatchSchema
)

/** POST /admin/orderflow/settings/test: optionally unsaved connection values to try. */
export const AdminTestOrderflowConnection = settingsPatchSchema.pick({ api: true })
