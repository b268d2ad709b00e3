// The Magento 2 SOAP face: ONE description of the services OrderFlow's
// "Magento 2" connector calls (ORDERFLOW-SOAP.md §1.1–1.3, copied as facts
// into this repository's README "SOAP connectors"). The WSDL (m2-wsdl.ts),
// the request parser (m2-face.ts) and the tests read only this table, so
// they cannot disagree about a name, an order or what is required.

export type M2ScalarType = "string" | "int" | "anyType"

/** A data interface of the RealtimeDespatch module: its WSDL complex type and fields (all strings, as in the module's getters). */
export type M2DataType = { name: string; fields: Array<{ name: string; required: boolean }> }

export type M2Field =
  | { name: string; type: M2ScalarType; required: boolean }
  /** `T[]`: a wrapper element of `<item>` children (WSDL `ArrayOf<T>`). */
  | { name: string; arrayOf: M2DataType; required: boolean }

export type M2Service = {
  /** Magento's service name, as listed in `?services=`. */
  service: string
  /** Operation = service + ucfirst(method); request element = operation + "Request". */
  operation: string
  /** What the face does with a call. */
  kind: "inventory" | "shipment" | "token"
  /** The method's parameters in order; `required` = no default value (Magento faults when missing). */
  request: M2Field[]
  /** The response holds one required `result`. */
  result: M2ScalarType
}

export const QUANTITY_ITEM: M2DataType = {
  name: "RealtimeDespatchOrderFlowDataQuantityItemInterface",
  fields: [
    { name: "sku", required: true },
    { name: "qty", required: true },
    { name: "source", required: true },
  ],
}

export const SEQUENCE_ITEM: M2DataType = {
  name: "RealtimeDespatchOrderFlowDataSequenceItemInterface",
  fields: [
    { name: "sku", required: true },
    { name: "seq", required: true },
    { name: "lastOrderExported", required: true },
  ],
}

export const TRACK_ITEM: M2DataType = {
  name: "RealtimeDespatchOrderFlowDataTrackItemInterface",
  fields: [{ name: "trackingNumber", required: true }],
}

const optionalString = (name: string): M2Field => ({ name, type: "string", required: false })

export const M2_SERVICES: readonly M2Service[] = [
  {
    service: "realtimeDespatchOrderFlowInventoryRequestManagementV1",
    operation: "realtimeDespatchOrderFlowInventoryRequestManagementV1Update",
    kind: "inventory",
    request: [
      { name: "productQtys", arrayOf: QUANTITY_ITEM, required: true },
      { name: "productSeqs", arrayOf: SEQUENCE_ITEM, required: true },
      { name: "messageSeqId", type: "int", required: true },
    ],
    result: "anyType",
  },
  {
    service: "realtimeDespatchOrderFlowShipmentRequestManagementV1",
    operation: "realtimeDespatchOrderFlowShipmentRequestManagementV1Create",
    kind: "shipment",
    request: [
      { name: "orderIncrementId", type: "string", required: true },
      { name: "skuQty", arrayOf: QUANTITY_ITEM, required: false },
      { name: "tracks", arrayOf: TRACK_ITEM, required: false },
      ...["comment", "email", "includeComment", "courierName", "serviceName", "trackingNumber", "dateShipped", "messageSeqId"].map(optionalString),
    ],
    result: "anyType",
  },
  {
    service: "integrationAdminTokenServiceV1",
    operation: "integrationAdminTokenServiceV1CreateAdminAccessToken",
    kind: "token",
    request: [
      { name: "username", type: "string", required: true },
      { name: "password", type: "string", required: true },
    ],
    result: "string",
  },
]

export const requestElementOf = (s: M2Service) => `${s.operation}Request`
export const responseElementOf = (s: M2Service) => `${s.operation}Response`

export function m2ServiceByName(name: string): M2Service | undefined {
  return M2_SERVICES.find((s) => s.service === name)
}

export function m2ServiceByRequestElement(element: string): M2Service | undefined {
  return M2_SERVICES.find((s) => requestElementOf(s) === element)
}

/** `?services=a,b` (as Magento reads it) → the known services named; unknown names are returned apart. */
export function parseServicesParam(value: string | undefined | null): { services: M2Service[]; unknown: string[] } {
  const names = (value ?? "").split(",").map((n) => n.trim()).filter(Boolean)
  const services: M2Service[] = []
  const unknown: string[] = []
  for (const name of names) {
    const service = m2ServiceByName(name)
    if (service) services.push(service)
    else unknown.push(name)
  }
  return { services, unknown }
}

/** Magento's target namespace and endpoint: the base URL with `?services=` (comma percent-encoded, as http_build_query does). */
export function m2EndpointUrl(baseUrl: string, services: M2Service[]): string {
  return `${baseUrl}?services=${encodeURIComponent(services.map((s) => s.service).join(","))}`
}
