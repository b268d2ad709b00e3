import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { M1Fault, m1FaultResponse, m1Response, M1Reply, parseM1Request } from "../../../lib/soap/m1-face"
import { M1_FAULTS } from "../../../lib/soap/m1-services"
import { buildM1Wsdl } from "../../../lib/soap/m1-wsdl"
import { M1_SESSION_IDLE_MS, newM1SessionId } from "../../../lib/soap/sessions"
import { ORDERFLOW_MODULE } from "../../../modules/orderflow"
import OrderflowModuleService from "../../../modules/orderflow/service"
import { addressRefusal, checkInboundCredentials } from "../authenticate-orderflow"
import { RawBodyRequest } from "../read-raw-body"
import { clientOf, faceBaseUrl, issueSession, liveSession, storeSoapPush } from "./face-auth"

// The Magento 1 face (DESIGN.md section 8; README "SOAP connectors"):
// /orderflow/api/v2_soap/index/ is the API endpoint of OrderFlow's "Magento"
// connector. It logs in with the API user and key (the inbound username and
// password), pushes stock (orderflowInventoryMultiUpdate) and despatches
// (orderflowShipmentCreate) with its session id, and ends the session.

function send(res: MedusaResponse, reply: M1Reply) {
  res.status(reply.status).setHeader("Content-Type", reply.contentType)
  res.send(reply.body)
}

/** GET …?wsdl=1 (any value): the WSDL, its address the endpoint the caller used. */
export async function m1Wsdl(req: MedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const refused = addressRefusal(clientOf(req), await orderflow.getCurrentSettings({ maxAgeMs: 3000 }))
  if (refused) return res.status(403).type("text/plain").send(refused)
  if (!("wsdl" in (req.query as Record<string, unknown>))) return res.status(400).type("text/plain").send("Add ?wsdl=1 to fetch the WSDL; calls are POSTed")
  // Magento puts the current api/v2_soap/index/ URL in the WSDL, whichever of the two forms was asked.
  const address = faceBaseUrl(req).replace(/\/api\/v2_soap(\/index)?\/?$/, "/api/v2_soap/index/")
  res.status(200).setHeader("Content-Type", "text/xml; charset=UTF-8")
  res.send(buildM1Wsdl(address))
}

export async function m1Call(req: RawBodyRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const current = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  const fault = (f: { code: number; message: string }) => send(res, m1FaultResponse(M1Fault.of(f)))
  if (addressRefusal(clientOf(req), current)) return fault(M1_FAULTS.accessDenied)
  const { settings } = current
  let call
  try {
    call = parseM1Request(req.orderflowRawBody ?? "", {
      limits: { maxBytes: settings.inbound.maxBodyBytes, maxLines: settings.inbound.maxLines, timeZone: settings.api.timeZone },
    })
  } catch (e) {
    if (e instanceof M1Fault) return send(res, m1FaultResponse(e))
    throw e
  }
  switch (call.kind) {
    case "login": {
      // The API user and key are the inbound username and password (Settings → OrderFlow), through the login guard.
      const outcome = await checkInboundCredentials(req, current, clientOf(req), call.username, call.apiKey)
      if (!outcome.ok) return fault(M1_FAULTS.accessDenied)
      const sessionId = newM1SessionId()
      await issueSession(req, "m1", sessionId, call.username, M1_SESSION_IDLE_MS)
      return send(res, m1Response(call.operation, sessionId))
    }
    case "endSession": {
      const session = await liveSession(req, "m1", call.sessionId)
      if (!session) return fault(M1_FAULTS.sessionExpired)
      await orderflow.updateOrderflowApiSessions({ id: session.id, ended_at: new Date() })
      return send(res, m1Response(call.operation, true))
    }
  }
  if (!call.sessionId || !(await liveSession(req, "m1", call.sessionId, M1_SESSION_IDLE_MS))) return fault(M1_FAULTS.sessionExpired)
  send(res, m1Response(call.operation, await storeSoapPush(req, res, "soap-m1", call)))
}

