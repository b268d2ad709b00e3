import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BuildingStorefront } from "@medusajs/icons"
import { Button, Container, Copy, Heading, StatusBadge, Text } from "@medusajs/ui"
import { useState } from "react"
import { GroupSpec, SettingsGroupForm } from "../../../components/settings-form"
import {
  ConnectionTestResult,
  useOrderflowSettings,
  useStockLocations,
  useTestOrderflowConnection,
  useUpdateOrderflowSettings,
} from "../../../hooks/api/settings"

const cronHint = "Five fields, UTC: minute hour day month weekday (e.g. */5 * * * *)"

const GROUPS: GroupSpec[] = [
  {
    group: "api",
    title: "Connection to OrderFlow",
    description: "How the store reaches OrderFlow (product and order export, cancellations).",
    fields: [
      { name: "endpoint", label: "Endpoint", kind: "url", hint: "Base API URL including the instance context path, e.g. https://wms.example.com/acme" },
      { name: "username", label: "Username", kind: "text", hint: "The OrderFlow user for API requests (Remote Importer role)" },
      { name: "password", label: "Password", kind: "password", hint: "Write-only: never shown again" },
      { name: "organisation", label: "Organisation", kind: "text", hint: "Products are imported into this organisation" },
      { name: "channel", label: "Channel", kind: "text", hint: "Orders are imported into this sales channel (usually belongs to the organisation above)" },
      { name: "webUrl", label: "OrderFlow web URL", kind: "url", hint: "For 'view in OrderFlow' links; defaults to the endpoint" },
      { name: "timeoutSeconds", label: "Timeout (seconds)", kind: "number" },
      {
        name: "timeZone",
        label: "OrderFlow's time zone",
        kind: "text",
        hint: "IANA name, e.g. Europe/London: OrderFlow's times without a zone (lastOrderExported, dateShipped) are read in it, and order and poll times are sent in it",
      },
    ],
  },
  {
    group: "inbound",
    title: "Calls from OrderFlow",
    description: "The credentials OrderFlow uses (HTTP Basic) when it pushes stock levels and despatches to the store.",
    fields: [
      { name: "username", label: "Username", kind: "text" },
      { name: "password", label: "Password", kind: "password", hint: "Stored only as a hash" },
      { name: "maxBodyBytes", label: "Largest message (bytes)", kind: "number" },
      { name: "maxLines", label: "Most lines per message", kind: "number" },
    ],
  },
  {
    group: "email",
    title: "Alerts",
    description: "Who is told when an export or import fails for good.",
    fields: [
      { name: "adminName", label: "Admin name", kind: "text" },
      { name: "adminEmail", label: "Admin email", kind: "email", hint: "Alerts are emailed here when the store has an email notification provider" },
    ],
  },
  {
    group: "productExport",
    title: "Product export",
    description: "Sends new and changed product variants (SKUs) to OrderFlow in batches.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "batchSize", label: "Batch size", kind: "number", hint: "SKUs per run" },
      { name: "includeImage", label: "Include image", kind: "switch", hint: "Without a thumbnail or placeholder the line fails" },
      { name: "placeholderImage", label: "Placeholder image URL", kind: "url" },
      {
        name: "extendedFields",
        label: "Send barcode and dimensions",
        kind: "switch",
        hint: "Not in OrderFlow's documented product fields: turn on only if your OrderFlow accepts barcode, length, width, height and dimensionUnits",
      },
    ],
  },
  {
    group: "orderExport",
    title: "Order export",
    description: "Sends paid orders to OrderFlow for fulfilment, and their cancellations.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "batchSize", label: "Batch size", kind: "number", hint: "Orders per run" },
      { name: "referencePrefix", label: "Reference prefix", kind: "text", hint: "Prepended to the order number in OrderFlow" },
      { name: "sendMissingProducts", label: "Send missing products with the order", kind: "switch" },
      { name: "orderAttributes", label: "Order attributes (metadata keys)", kind: "list", hint: "Comma separated" },
      {
        name: "orderflowVersion",
        label: "OrderFlow version",
        kind: "text",
        hint: "From 4.3.3 edited orders are re-sent (reinsert); below, edits other than a removed line are refused",
      },
      {
        name: "cancelWhenUnreachable",
        label: "When OrderFlow is unreachable on cancel",
        kind: "select",
        options: [
          { value: "refuse", label: "Refuse the cancel (try again later)" },
          { value: "queue", label: "Cancel in Medusa, send when OrderFlow answers" },
        ],
      },
    ],
  },
  {
    group: "inventoryImport",
    title: "Inventory import",
    description: "Applies the stock levels OrderFlow pushes to the store.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "batchSize", label: "Batch size", kind: "number", hint: "Messages per run" },
      {
        name: "negativeAsZero",
        label: "Apply negative figures as 0",
        kind: "switch",
        hint: "The guide's \"Allow Negative Quantities\" = Yes (recommended). Off: negative figures are applied as they are",
      },
      {
        name: "adjustInventory",
        label: "Adjust inventory",
        kind: "select",
        options: [
          { value: "none", label: "No" },
          { value: "unsent_orders", label: "Unsent orders" },
          { value: "unsent_orders_and_active_carts", label: "Unsent orders and active carts" },
        ],
      },
      { name: "unsentOrderStatuses", label: "Unsent order statuses", kind: "list", hint: "Medusa order statuses, comma separated" },
      { name: "unsentOrderCutoffDays", label: "Unsent order cutoff (days)", kind: "number" },
      { name: "activeCartCutoffDays", label: "Active cart cutoff (days)", kind: "number" },
      { name: "defaultLocationId", label: "Default stock location", kind: "location", hint: "For lines without an OrderFlow site" },
      { name: "locations", label: "Sites → stock locations", kind: "map", hint: "One SITE=location id per line" },
    ],
  },
  {
    group: "shipmentImport",
    title: "Shipment import",
    description: "Turns OrderFlow despatches into fulfilments with tracking on the order.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "batchSize", label: "Batch size", kind: "number", hint: "Messages per run" },
      { name: "notifyCustomer", label: "Notify customer", kind: "switch", hint: "Only when the despatch message asks for it too" },
      { name: "trackingUrlTemplates", label: "Tracking URL per courier", kind: "map", hint: "courier=https://track.example/{trackingNumber}" },
    ],
  },
  {
    group: "shipmentPoll",
    title: "Despatch poll (backstop)",
    description:
      "Asks OrderFlow on this schedule for the shipments it despatched (Despatched Shipments Per Time Period) and stores any the store has not heard of as a despatch message, as if pushed: a despatch whose push OrderFlow gave up on is still applied, once.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "lookBackHours", label: "First pull looks back (hours)", kind: "number" },
      { name: "overlapMinutes", label: "Overlap of pulls (minutes)", kind: "number", hint: "Each pull starts this long before the previous one ended" },
      { name: "notifyCustomer", label: "Notify customer of polled despatches", kind: "switch", hint: "Shipment import's Notify customer still applies" },
    ],
  },
  {
    group: "stockDrift",
    title: "Drift report",
    description:
      "Pulls OrderFlow's inventory (Inventory Pull) for every mapped site on this schedule and compares each figure, adjusted as the inventory import would adjust it, with Medusa's level. Differences are listed at OrderFlow → Stock, to accept or ignore.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "chunkSize", label: "SKUs per call", kind: "number", hint: "OrderFlow's inventory pull has no paging: SKUs are asked for in chunks" },
    ],
  },
  {
    group: "returns",
    title: "Returns",
    description:
      "Sends returns requested in Medusa to OrderFlow (Returns Import) and, on this schedule, reads the returns the warehouse applied and marks their items received in Medusa. Refunds stay in Medusa.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "overlapMinutes", label: "Overlap of pulls (minutes)", kind: "number", hint: "Each pull starts this long before the previous one ended" },
      { name: "type", label: "Return type", kind: "text", hint: "OrderFlow's return.type, e.g. unknown or goods_not_delivered" },
      { name: "site", label: "Site", kind: "text", hint: "Only with several warehouses; empty = OrderFlow's default" },
      { name: "reasons", label: "Medusa reason → OrderFlow reason", kind: "map", hint: "One value=reason per line, e.g. wrong_size=C - Wrong size; unmapped: H - Other" },
      { name: "defaultCondition", label: "Condition sent", kind: "text", hint: "Unless the reason is mapped below" },
      { name: "conditions", label: "Medusa reason → condition sent", kind: "map", hint: "e.g. damaged=Packaging damaged" },
      { name: "restock", label: "OrderFlow condition → restock or damaged", kind: "map", hint: "e.g. As new=restock; unknown conditions are received as damaged" },
    ],
  },
  {
    group: "retry",
    title: "Retries",
    description:
      "One back-off policy for every failed item, before it stays failed and an alert is raised. Calls that fail as a whole (OrderFlow down) do not use up an item's attempts: after a few in a row the circuit opens and runs only probe OrderFlow until it answers.",
    fields: [
      { name: "maxAttempts", label: "Maximum attempts", kind: "number" },
      { name: "baseDelaySeconds", label: "First retry after (seconds)", kind: "number" },
      { name: "maxDelaySeconds", label: "Longest wait (seconds)", kind: "number" },
      { name: "circuitThreshold", label: "Failed calls in a row before the circuit opens", kind: "number" },
      { name: "circuitProbeSeconds", label: "Probe OrderFlow every (seconds) while the circuit is open", kind: "number" },
    ],
  },
  {
    group: "alarms",
    title: "Alarms",
    description:
      "Raised as incidents (one alert each, closed when they clear) and shown by the monitors' health check. 0 turns an alarm off.",
    fields: [
      { name: "stockSilenceHours", label: "No stock message for (hours)", kind: "number" },
      { name: "orderAcceptanceMinutes", label: "Paid order not accepted by OrderFlow after (minutes)", kind: "number" },
      { name: "despatchBacklogMinutes", label: "Despatch waiting to be applied for (minutes)", kind: "number" },
      { name: "deadLetters", label: "Alarm while a dead letter is present", kind: "switch" },
      { name: "stockDriftThreshold", label: "Stock levels differing from OrderFlow (drift report) at least", kind: "number" },
    ],
  },
  {
    group: "logCleaning",
    title: "Log cleaning",
    description: "Keeps the history from growing forever.",
    fields: [
      { name: "enabled", label: "Enabled", kind: "switch" },
      { name: "cron", label: "Cron expression", kind: "cron", hint: cronHint },
      { name: "historyDays", label: "Keep history (days)", kind: "number" },
      { name: "bodyDays", label: "Keep XML/JSON bodies (days)", kind: "number" },
    ],
  },
]

const OrderflowSettingsPage = () => {
  const { data, isLoading, error } = useOrderflowSettings()
  const { data: locationData } = useStockLocations()
  const update = useUpdateOrderflowSettings()
  const test = useTestOrderflowConnection()
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null)

  if (isLoading) return <Container><Text>Loading OrderFlow settings…</Text></Container>
  if (error || !data) return <Container><Text className="text-ui-fg-error">Could not load the settings: {(error as Error)?.message}</Text></Container>

  const onSave = async (group: string, patch: Record<string, unknown>) => {
    await update.mutateAsync({ [group]: patch })
  }

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">OrderFlow</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Keeps the warehouse and the store in step: products and orders go to OrderFlow, stock levels and despatches come back.
          </Text>
        </div>
      </Container>
      {GROUPS.map((spec) => (
        <SettingsGroupForm
          key={spec.group}
          spec={spec}
          values={data.settings[spec.group] ?? {}}
          locked={data.locked}
          locations={locationData?.stock_locations ?? []}
          saving={update.isPending && update.variables ? spec.group in update.variables : false}
          onSave={onSave}
          extra={
            spec.group === "api"
              ? (draft) => (
                  <div className="flex flex-col gap-y-2">
                    <div className="flex items-center gap-x-3">
                      <Button
                        size="small"
                        variant="secondary"
                        isLoading={test.isPending}
                        onClick={async () => {
                          const api: Record<string, unknown> = {}
                          for (const k of ["endpoint", "username", "password", "organisation", "channel"]) {
                            if (draft[k] !== "" && draft[k] !== undefined) api[k] = draft[k]
                          }
                          const res = await test.mutateAsync({ api }).catch((e) => ({
                            result: { ok: false, status: null, duration_ms: 0, message: (e as Error).message, endpoint: "" },
                          }))
                          setTestResult(res.result)
                        }}
                      >
                        Test connection
                      </Button>
                      {testResult && (
                        <StatusBadge color={testResult.ok ? "green" : "red"} data-testid="orderflow-connection-result">
                          {testResult.ok ? "Connected" : "Failed"}
                        </StatusBadge>
                      )}
                    </div>
                    {testResult && (
                      <Text size="small" className={testResult.ok ? "text-ui-fg-subtle" : "text-ui-fg-error"}>
                        {testResult.message}
                        {testResult.status !== null ? ` (HTTP ${testResult.status}, ${testResult.duration_ms} ms)` : ""}
                      </Text>
                    )}
                  </div>
                )
              : spec.group === "inbound"
                ? () => (
                    <div className="flex flex-col gap-y-3" data-testid="orderflow-connectors">
                      <Text size="small" weight="plus">Configure OrderFlow to call the store with one of its connectors (OrderFlow → Setup → Properties, group "Magento API"):</Text>
                      {data.connectors.map((c) => (
                        <div key={c.connector} className="flex flex-col gap-y-1">
                          <Text size="small" weight="plus" className="text-ui-fg-subtle">{c.connector}</Text>
                          {c.properties.map((p) => (
                            <div key={p.property} className="flex items-center gap-x-2">
                              <Text size="small" className="w-56 shrink-0 text-ui-fg-subtle">{p.property}</Text>
                              {p.secret ? (
                                <Text size="small" className="text-ui-fg-muted">{p.value}</Text>
                              ) : (
                                <>
                                  <code className="text-ui-fg-base text-small break-all">{p.value}</code>
                                  <Copy content={p.value} />
                                </>
                              )}
                            </div>
                          ))}
                        </div>
                      ))}
                    </div>
                  )
                : undefined
          }
        />
      ))}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "OrderFlow",
  icon: BuildingStorefront,
})

export default OrderflowSettingsPage
