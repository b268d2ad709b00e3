import Medusa from "@medusajs/js-sdk"

// The dashboard is served by the same Medusa server; session auth is the admin's login.
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: import.meta.env.DEV,
  auth: { type: "session" },
})
