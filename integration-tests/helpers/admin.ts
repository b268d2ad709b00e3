import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

export const ADMIN_EMAIL = "admin@orderflow.test"
export const ADMIN_PASSWORD = "supersecret-admin"

/**
 * Creates an admin user through Medusa's user and auth modules and logs in
 * over HTTP, as the dashboard does. Returns axios options with the bearer token.
 */
export async function loginAsAdmin(api: any, container: MedusaContainer) {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const [existing] = await userModule.listUsers({ email: ADMIN_EMAIL })
  if (!existing) {
    const user = await userModule.createUsers({ email: ADMIN_EMAIL, first_name: "Ada", last_name: "Admin" })
    const { authIdentity, error } = await authModule.register("emailpass", {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    } as any)
    if (error || !authIdentity) throw new Error(`could not register admin: ${error}`)
    await authModule.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
  }
  const res = await api.post("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  return { headers: { authorization: `Bearer ${res.data.token}` } }
}

/** Polls until `check` returns a truthy value (never a fixed sleep). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, { timeoutMs = 20000, intervalMs = 100, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value as T
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`)
}
