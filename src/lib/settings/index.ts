export * from "./schema"
export * from "./resolve"
