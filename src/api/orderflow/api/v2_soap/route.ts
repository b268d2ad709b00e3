import { m1Call, m1Wsdl } from "../../soap/m1-handler"

/** The Magento 1 API v2 SOAP endpoint (…/api/v2_soap/, as Magento answers it too): WSDL on GET, calls on POST. */
export const GET = m1Wsdl
export const POST = m1Call
