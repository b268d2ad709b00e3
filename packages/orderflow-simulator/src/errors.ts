// The exception names OrderFlow reports. The first four appear in seed 002;
// the rest are the simulator's names for cases the documents describe but do
// not name (a plugin should branch on MissingDataException only, as the
// cancellation section advises, and treat every other <error> as a refusal).

export const EXCEPTIONS = {
  /** Unknown order on cancel/hold/release/detail (seed 002). */
  missingData: "rtd.exceptions.MissingDataException",
  /** Import item refers to something unknown: ref:channel:X, ref:product:X (seed 002). */
  importMissingData: "rtd.exceptions.ImportMissingDataException",
  /** Import item already present: reported under importDuplicates (seed 002). */
  validationError: "rtd.exceptions.ValidationErrorException",
  /** Channel/organisation not allowed for the user (seed 002). */
  unauthorized: "rtd.exceptions.UnauthorizedDataAccessException",
  /** Simulator's name: the operation is not allowed in the current state (packed shipment, not on hold...). */
  invalidState: "rtd.exceptions.InvalidStateException",
  /** Simulator's name: an import property has an invalid value (quantity, date, number, boolean). */
  importData: "rtd.exceptions.ImportDataException",
  /** Simulator's name: a request parameter is missing or malformed. */
  invalidParameter: "rtd.exceptions.InvalidParameterException",
  /** Simulator's name: the posted document is not well-formed XML or not an <imports> document. */
  importParse: "rtd.exceptions.ImportParseException",
} as const

export type ExceptionName = (typeof EXCEPTIONS)[keyof typeof EXCEPTIONS]

/** An error OrderFlow reports to the caller, as an <error> document or an import failure. */
export class OrderFlowError extends Error {
  constructor(
    readonly exception: ExceptionName,
    message: string
  ) {
    super(message)
  }
}

/** "Unable to find any entity associated with identifier: ref:channel:X" (seed 002). */
export function missingEntity(kind: string, reference: string | undefined): OrderFlowError {
  // A header that was not sent reads as Java's "null".
  return new OrderFlowError(
    EXCEPTIONS.importMissingData,
    `Unable to find any entity associated with identifier: ref:${kind}:${reference ?? "null"}`
  )
}

/** Control API misuse (unknown SKU, bad arguments): a 400 on /_sim/, never an OrderFlow document. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400
  ) {
    super(message)
  }
}
