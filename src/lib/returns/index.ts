export * from "./return-document"
export * from "./applied-returns"
export * from "./receive-plan"
