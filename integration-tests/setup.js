const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// Operations are driven explicitly by the tests; the event-processing spec
// turns immediate processing back on for itself.
process.env.ORDERFLOW_EVENT_PROCESSING_DISABLED = "true"
