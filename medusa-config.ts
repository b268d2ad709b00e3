import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"

// The demo store and the integration tests run from this file. A merchant's
// store registers the plugin instead: plugins: [{ resolve: "medusa-plugin-orderflow", options: { env: process.env } }].
loadEnv(process.env.NODE_ENV || "development", process.cwd())

const isTest = process.env.NODE_ENV === "test"

// Several instances (README, "Running in production: several instances"):
// with REDIS_URL set, events, workflow runs, scheduled jobs, locks and the
// cache are shared through Redis instead of living in one process; without it
// nothing changes (the tests and the plain demo need no Redis).
const redisUrl = process.env.REDIS_URL || undefined
const WORKER_MODES = ["shared", "worker", "server"] as const
type WorkerMode = (typeof WORKER_MODES)[number]
const workerMode = process.env.MEDUSA_WORKER_MODE || undefined
if (workerMode !== undefined && !WORKER_MODES.includes(workerMode as WorkerMode)) {
  // Medusa itself would silently fall back to "shared" and run everything.
  throw new Error(`MEDUSA_WORKER_MODE must be one of ${WORKER_MODES.join(", ")} (got "${workerMode}")`)
}

const redisModules = redisUrl
  ? [
      // Events go through a BullMQ queue; only "worker" and "shared" instances consume it.
      { key: Modules.EVENT_BUS, resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      // Workflow executions and scheduled jobs: one run per tick across the cluster, on a worker.
      { key: Modules.WORKFLOW_ENGINE, resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      // The plugin's operation locks (and Medusa's own) must hold across processes.
      {
        key: Modules.LOCKING,
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [{ id: "locking-redis", resolve: "@medusajs/medusa/locking-redis", is_default: true, options: { redisUrl } }],
        },
      },
      { key: Modules.CACHE, resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
      // Medusa 2.21's newer caching module is only used behind its WIP feature
      // flag, and it listens to every event to invalidate: register it only then.
      ...(process.env.MEDUSA_FF_CACHING === "true"
        ? [
            {
              key: Modules.CACHING,
              resolve: "@medusajs/medusa/caching",
              options: {
                providers: [{ id: "caching-redis", resolve: "@medusajs/medusa/caching-redis", is_default: true, options: { redisUrl } }],
              },
            },
          ]
        : []),
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseLogging: false,
    // Sessions in Redis when set, so any server instance serves a logged-in admin.
    redisUrl,
    // server: HTTP only (admin, store, OrderFlow's pushes); worker: subscribers,
    // scheduled jobs, workflow queue; shared (default): both.
    workerMode: workerMode as WorkerMode | undefined,
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
    ...redisModules,
  ],
})
