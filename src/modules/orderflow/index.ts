import { Module } from "@medusajs/framework/utils"
import OrderflowModuleService from "./service"

import { ORDERFLOW_MODULE } from "../../types"

export { ORDERFLOW_MODULE }

export default Module(ORDERFLOW_MODULE, {
  service: OrderflowModuleService,
})

export { OrderflowModuleService }
