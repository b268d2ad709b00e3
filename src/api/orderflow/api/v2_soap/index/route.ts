import { m1Call, m1Wsdl } from "../../../soap/m1-handler"

/** The Magento 1 API v2 SOAP endpoint OrderFlow's "Magento" connector calls: …/api/v2_soap/index/. */
export const GET = m1Wsdl
export const POST = m1Call
