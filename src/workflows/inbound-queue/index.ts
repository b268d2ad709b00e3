export { claimInboundRequestsStep, keepRequestsClaimed, newClaimant, REQUEST_LEASE_MS } from "./claim-requests-step"
export type { ClaimedRequests } from "./claim-requests-step"
export { inboundRunSummary, settleFailedRequestsStep } from "./settle-failed-requests-step"
export type { FailedRequest } from "./settle-failed-requests-step"
