import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { storeInboundMessageStep, StoreInboundMessageInput } from "./store-inbound-message-step"

/** Intake of a message pushed by OrderFlow: store it, so it can be acknowledged. */
export const receiveInboundMessageWorkflow = createWorkflow(
  "orderflow-receive-inbound-message",
  (input: StoreInboundMessageInput) => {
    const stored = storeInboundMessageStep(input)
    return new WorkflowResponse(stored)
  }
)
