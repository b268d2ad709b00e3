import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { M2Fault, m2FaultResponse, m2Response, parseM2Request, SoapReply } from "../../../../lib/soap/m2-face"
import { m2EndpointUrl, parseServicesParam } from "../../../../lib/soap/m2-services"
import { buildM2Wsdl } from "../../../../lib/soap/m2-wsdl"
import { M2_TOKEN_TTL_MS, newM2Token } from "../../../../lib/soap/sessions"
import { ORDERFLOW_MODULE } from "../../../../modules/orderflow"
import OrderflowModuleService from "../../../../modules/orderflow/service"
import { addressRefusal, checkInboundCredentials } from "../../authenticate-orderflow"
import { RawBodyRequest } from "../../read-raw-body"
import { clientOf, faceBaseUrl, issueSession, m2PushAuthorized, storeSoapPush } from "../face-auth"

// The Magento 2 face (DESIGN.md section 8; README "SOAP connectors"):
// /orderflow/soap/<store>?services=… is what an OrderFlow administrator
// enters as "Magento 2 API SOAP base URL" (up to the store code). Its
// connector fetches the WSDL, asks for an admin token, then pushes stock
// (…InventoryRequestManagementV1Update) and despatches
// (…ShipmentRequestManagementV1Create). Pushes are stored exactly like the
// REST routes' (request table, dedupe, processing) and acknowledged with
// "Success - Message N Received"; anything refused is a Magento fault and
// nothing is stored.

const NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."

function send(res: MedusaResponse, reply: SoapReply) {
  res.status(reply.status).setHeader("Content-Type", reply.contentType)
  res.send(reply.body)
}

/** GET …?wsdl&services=… — the WSDL of the listed services (only `wsdl` and `services` may be given, as in Magento). */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const current = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  const refused = addressRefusal(clientOf(req), current)
  if (refused) return res.status(403).type("text/plain").send(refused)
  const query = req.query as Record<string, unknown>
  if (!("wsdl" in query)) return res.status(400).type("text/plain").send("Add ?wsdl&services=<service>[,<service>] to fetch the WSDL; calls are POSTed")
  const extra = Object.keys(query).filter((k) => k !== "wsdl" && k !== "services")
  if (extra.length) return res.status(400).type("text/plain").send(`Not allowed parameters: ${extra.join(", ")}`)
  const { services, unknown } = parseServicesParam(typeof query.services === "string" ? query.services : null)
  if (unknown.length) return res.status(404).type("text/plain").send(`Requested service is not available: "${unknown[0]}"`)
  if (!services.length) return res.status(400).type("text/plain").send("Requested services are missing.")
  res.status(200).setHeader("Content-Type", "text/xml; charset=UTF-8")
  res.send(buildM2Wsdl(services, m2EndpointUrl(faceBaseUrl(req), services)))
}

export async function POST(req: RawBodyRequest, res: MedusaResponse) {
  const orderflow: OrderflowModuleService = req.scope.resolve(ORDERFLOW_MODULE)
  const current = await orderflow.getCurrentSettings({ maxAgeMs: 3000 })
  const query = req.query as Record<string, unknown>
  const { services, unknown } = parseServicesParam(typeof query.services === "string" ? query.services : null)
  const endpoint = m2EndpointUrl(faceBaseUrl(req), services)
  const fault = (message: string, parameters: Record<string, string> = {}) => send(res, m2FaultResponse(new M2Fault(message, parameters), endpoint))
  if (addressRefusal(clientOf(req), current)) return fault(NOT_AUTHORIZED, { resources: "orderflow" })
  if (unknown.length) return fault('Requested service is not available: "%service"', { service: unknown[0] })
  if (!services.length) return fault("Requested services are missing.")
  const { settings } = current
  let call
  try {
    call = parseM2Request(req.orderflowRawBody ?? "", {
      contentType: req.headers["content-type"],
      services,
      limits: { maxBytes: settings.inbound.maxBodyBytes, maxLines: settings.inbound.maxLines, timeZone: settings.api.timeZone },
    })
  } catch (e) {
    if (e instanceof M2Fault) return send(res, m2FaultResponse(e, endpoint))
    throw e
  }

  if (call.kind === "token") {
    // The inbound username/password (Settings → OrderFlow), through the same login guard as HTTP Basic.
    const outcome = await checkInboundCredentials(req, current, clientOf(req), call.username, call.password)
    if (!outcome.ok) return fault("You did not sign in correctly or your account is temporarily disabled.")
    const token = newM2Token()
    await issueSession(req, "m2", token, call.username, M2_TOKEN_TTL_MS)
    return send(res, m2Response(call.version, call.service, endpoint, token))
  }

  if (!(await m2PushAuthorized(req, current))) return fault(NOT_AUTHORIZED, { resources: call.service.service })
  send(res, m2Response(call.version, call.service, endpoint, await storeSoapPush(req, res, "soap-m2", call)))
}
