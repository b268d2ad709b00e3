// Lint = Medusa's own conventions (workflows, routes, middlewares...; admin
// rules for the TSX in src/admin, parsed by typescript-eslint's parser) plus our
// boundaries: src/lib is the framework-free core and imports no framework,
// HTTP library or I/O edge; the simulator package imports neither Medusa nor
// the plugin. Linted: src (with src/admin), packages, bench, scripts; the
// Medusa preset itself leaves out tests (__tests__, *.spec.*, integration-tests).
const medusa = require("@medusajs/eslint-plugin").default

module.exports = [
  ...medusa.configs.recommended,
  {
    ignores: ["eslint.config.js", "jest.config.js", "medusa-config.ts"],
  },
  {
    // Our workflow and step ids carry an "orderflow-" prefix so they can never
    // collide with core or other plugins' ids in the shared workflow engine;
    // Medusa's rule wants the bare variable name instead.
    rules: {
      "@medusajs/step-id-kebab-case": "off",
      "@medusajs/workflow-id-matches-export-or-filename": "off",
    },
  },
  {
    // MedusaError exists to map errors to HTTP statuses in the store's API. The
    // simulator (which must not depend on Medusa), the benchmarks and the dev
    // scripts are command-line programs whose errors end the run with a message.
    files: ["packages/**", "bench/**", "scripts/**"],
    rules: {
      "@medusajs/use-medusa-error-not-generic-error": "off",
    },
  },
  {
    // The simulator stands in for OrderFlow: it knows nothing of Medusa or the plugin.
    files: ["packages/orderflow-simulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@medusajs/*", "medusa-plugin-orderflow", "medusa-plugin-orderflow/*"], message: "The simulator is independent of Medusa and of the plugin." },
            { group: ["../../*"], message: "The simulator package imports nothing from outside packages/orderflow-simulator." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/lib/**/*.ts"],
    rules: {
      // MedusaError is the framework's; the core has its own taxonomy (src/lib/errors.ts),
      // mapped to MedusaError at the API boundary.
      "@medusajs/use-medusa-error-not-generic-error": "off",
      // The core cannot import the framework's re-export; it uses the same zod version directly.
      "@medusajs/zod-import-source": "off",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@medusajs/*"], message: "src/lib is framework-free: move framework code to src/modules, src/workflows or src/api." },
            { group: ["undici", "express", "axios", "node:http", "node:https", "http", "https", "pg", "knex"], message: "src/lib does no I/O: the HTTP/database edge lives in src/modules/orderflow." },
            { group: ["**/modules/**", "**/workflows/**", "**/api/**", "**/subscribers/**", "**/jobs/**"], message: "src/lib must not depend on the Medusa layers above it." },
          ],
        },
      ],
    },
  },
]
