import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"

// The demo store and the integration tests run from this file. A merchant's
// store registers the plugin instead: plugins: [{ resolve: "medusa-plugin-orderflow", options: { env: process.env } }].
loadEnv(process.env.NODE_ENV || "development", process.cwd())

const isTest = process.env.NODE_ENV === "test"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseLogging: false,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173,http://localhost:8000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: isTest || process.env.MEDUSA_ADMIN_DISABLED === "true",
  },
  modules: [
    {
      resolve: "./src/modules/orderflow",
      // The module reads ORDERFLOW__<GROUP>__<FIELD> only from what it is given.
      options: { env: process.env },
    },
    {
      // Alerts reach the admin's notification feed; a real store adds an
      // email provider (channel "email") to have them mailed as well.
      key: Modules.NOTIFICATION,
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/notification-local",
            id: "local",
            options: { channels: ["feed"] },
          },
        ],
      },
    },
  ],
})
