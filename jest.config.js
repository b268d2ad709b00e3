// One Jest run covers the three layers (npm test); TEST_TYPE picks one of them.
const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const transform = {
  "^.+\\.[jt]sx?$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript", decorators: true, tsx: true }, target: "es2021" } },
  ],
}

const base = {
  transform,
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
}

const projects = {
  unit: {
    ...base,
    displayName: "unit",
    testMatch: [
      "<rootDir>/src/**/__tests__/**/*.unit.spec.[jt]s",
      "<rootDir>/packages/*/src/**/__tests__/**/*.spec.[jt]s",
      "<rootDir>/scripts/**/__tests__/**/*.spec.[jt]s",
    ],
  },
  "integration:modules": {
    ...base,
    displayName: "modules",
    testMatch: ["<rootDir>/src/modules/*/__tests__/**/*.spec.[jt]s"],
    testPathIgnorePatterns: ["\\.unit\\.spec\\."],
  },
  "integration:http": {
    ...base,
    displayName: "http",
    testMatch: ["<rootDir>/integration-tests/http/**/*.spec.[jt]s"],
  },
}

const selected = process.env.TEST_TYPE ? [projects[process.env.TEST_TYPE]] : Object.values(projects)

module.exports = {
  // Starts an embedded PostgreSQL when DB_HOST is not set (integration-tests/global-setup.mjs).
  globalSetup: "<rootDir>/integration-tests/global-setup.mjs",
  globalTeardown: "<rootDir>/integration-tests/global-teardown.mjs",
  testTimeout: 120000,
  // Every integration file boots a Medusa app, and not all of it is freed
  // when the file ends: in one process the heap grows file by file until
  // Node runs out of memory (seen at 64 files). One worker (so files still
  // run one at a time; the scripts pass --maxWorkers=1, not --runInBand) is
  // replaced once it holds more than this after a file.
  workerIdleMemoryLimit: "1536MB",
  projects: selected,
}
