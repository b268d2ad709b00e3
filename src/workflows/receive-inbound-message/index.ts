import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ORDERFLOW_EVENTS } from "../../types"
import { storeInboundMessageStep, StoreInboundMessageInput } from "./store-inbound-message-step"

/**
 * Intake of a message pushed by OrderFlow: store it, so it can be
 * acknowledged, then announce it (`orderflow.request.received`), so that a
 * worker processes it within a second instead of at the next scheduled run.
 * The event is released only once the message is stored; a duplicate
 * delivery announces nothing. A re-push of a dead-lettered message comes
 * back `pending` (the original, re-queued) and is announced like a new one.
 */
export const receiveInboundMessageWorkflow = createWorkflow(
  "orderflow-receive-inbound-message",
  (input: StoreInboundMessageInput) => {
    const stored = storeInboundMessageStep(input)
    when("orderflow-announce-new-request", { stored }, ({ stored }) => stored.status === "pending").then(() => {
      emitEventStep({
        eventName: ORDERFLOW_EVENTS.REQUEST_RECEIVED,
        data: transform({ stored, input }, ({ stored, input }) => ({ id: stored.id, type: input.type })),
      })
    })
    return new WorkflowResponse(stored)
  }
)
