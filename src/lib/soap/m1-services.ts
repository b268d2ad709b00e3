// The Magento 1 SOAP face (API v2, RPC/encoded, SOAP 1.1): ONE description of
// the operations OrderFlow's "Magento" connector calls (ORDERFLOW-SOAP.md §2),
// read by the WSDL builder (m1-wsdl.ts), the request reader (m1-face.ts) and
// the tests.

export type M1Part = { name: string; type: string }

export type M1Operation = {
  name: string
  kind: "login" | "endSession" | "inventory" | "shipment"
  /** Parts in order (RPC: passed positionally by Magento, read here by name). */
  input: M1Part[]
  output: M1Part
  /** Parts without which Magento faults (6 for login; the module's own parts are read leniently). */
  required: string[]
}

export const M1_OPERATIONS: readonly M1Operation[] = [
  {
    name: "login",
    kind: "login",
    input: [
      { name: "username", type: "xsd:string" },
      { name: "apiKey", type: "xsd:string" },
    ],
    output: { name: "loginReturn", type: "xsd:string" },
    required: ["username", "apiKey"],
  },
  {
    name: "endSession",
    kind: "endSession",
    input: [{ name: "sessionId", type: "xsd:string" }],
    output: { name: "endSessionReturn", type: "xsd:boolean" },
    required: ["sessionId"],
  },
  {
    name: "orderflowInventoryMultiUpdate",
    kind: "inventory",
    input: [
      { name: "sessionId", type: "xsd:string" },
      { name: "skusQty", type: "typens:skuQtyArray" },
      { name: "skusSeqId", type: "typens:skuSeqArray" },
      { name: "messageSeqId", type: "xsd:long" },
    ],
    output: { name: "result", type: "xsd:string" },
    required: ["sessionId", "skusQty", "skusSeqId", "messageSeqId"],
  },
  {
    name: "orderflowShipmentCreate",
    kind: "shipment",
    input: [
      { name: "sessionId", type: "xsd:string" },
      { name: "orderIncrementId", type: "xsd:string" },
      { name: "skuQty", type: "typens:skuQtyArray" },
      { name: "comment", type: "xsd:string" },
      { name: "email", type: "xsd:int" },
      { name: "includeComment", type: "xsd:int" },
      { name: "courierName", type: "xsd:string" },
      { name: "serviceName", type: "xsd:string" },
      { name: "trackingNumber", type: "xsd:string" },
      { name: "dateShipped", type: "xsd:date" },
      { name: "messageSeqId", type: "xsd:long" },
    ],
    output: { name: "result", type: "xsd:string" },
    required: ["sessionId", "orderIncrementId"],
  },
]

/** The complex types of the module's WSDL (`urn:Magento`). */
export const M1_TYPES = {
  skuQty: [
    { name: "key", type: "xsd:string", minOccurs: 1 },
    { name: "value", type: "xsd:int", minOccurs: 1 },
  ],
  skuSeq: [
    { name: "key", type: "xsd:string", minOccurs: 1 },
    { name: "value", type: "xsd:long", minOccurs: 1 },
    { name: "lastOrderExported", type: "xsd:dateTime", minOccurs: 0 },
  ],
} as const

/** Magento 1's global API faults (Mage_Api etc/api.xml). */
export const M1_FAULTS = {
  internal: { code: 1, message: "Internal Error. Please see log for details." },
  accessDenied: { code: 2, message: "Access denied." },
  invalidPath: { code: 3, message: "Invalid api path." },
  sessionExpired: { code: 5, message: "Session expired. Try to relogin." },
  missingParameter: { code: 6, message: 'Required parameter is missing, for more details see "exception.log".' },
} as const

export const m1OperationByName = (name: string) => M1_OPERATIONS.find((o) => o.name === name)
