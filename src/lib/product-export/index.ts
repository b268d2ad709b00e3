export * from "./export-units"
export * from "./extra-fields"
export * from "./product-document"
export * from "./product-fields"
