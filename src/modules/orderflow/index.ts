import { Module } from "@medusajs/framework/utils"
import OrderflowModuleService from "./service"

export const ORDERFLOW_MODULE = "orderflow"

export default Module(ORDERFLOW_MODULE, {
  service: OrderflowModuleService,
})

export { OrderflowModuleService }
