import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_MODULE } from "../../modules/orderflow"
import OrderflowModuleService, { ReceiveInboundMessageInput } from "../../modules/orderflow/service"

export type StoreInboundMessageInput = Omit<ReceiveInboundMessageInput, "received_at"> & { received_at: string }

/**
 * Stores the message durably. No compensation: once stored, a message is
 * never lost, even if what follows fails (processing happens later).
 */
export const storeInboundMessageStep = createStep(
  "orderflow-store-inbound-message",
  async (input: StoreInboundMessageInput, { container }) => {
    const orderflow: OrderflowModuleService = container.resolve(ORDERFLOW_MODULE)
    const stored = await orderflow.receiveInboundMessage({ ...input, received_at: new Date(input.received_at) })
    return new StepResponse(stored)
  }
)
