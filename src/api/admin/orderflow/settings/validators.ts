import { settingsPatchSchema } from "../../../../lib/settings"

/** POST /admin/orderflow/settings: any subset of groups and fields (DESIGN.md section 6). */
export const AdminUpdateOrderflowSettings = settingsPatchSchema

/** POST /admin/orderflow/settings/test: optionally unsaved connection values to try. */
export const AdminTestOrderflowConnection = settingsPatchSchema.pick({ api: true })
