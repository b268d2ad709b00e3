import { ExistingExportRow, ownerOf, planProductQueue, SKIP_REASONS, VariantFacts } from "../export-units"

const variant = (id: string, over: Partial<VariantFacts> = {}): VariantFacts => ({
  id,
  product_id: `prod_${id}`,
  sku: id.toUpperCase(),
  manage_inventory: true,
  is_giftcard: false,
  inventory: [{ inventory_item_id: `iitem_${id}`, required_quantity: 1, sku: id.toUpperCase() }],
  ...over,
})

const row = (over: Partial<ExistingExportRow> & { entity_id: string }): ExistingExportRow => ({
  id: `ofexi_${over.entity_id}`,
  reference: over.entity_id.toUpperCase(),
  variant_id: null,
  product_id: null,
  status: "exported",
  activated: true,
  exported_at: "2026-11-01T10:00:00.000Z",
  ...over,
})

describe("planProductQueue", () => {
  it("queues a simple variant as its inventory item, under the item's SKU", () => {
    const v = variant("tee_s", { sku: "TEE-S", inventory: [{ inventory_item_id: "iitem_1", required_quantity: 1, sku: "TEE-S" }] })
    expect(planProductQueue({ scopeVariantIds: new Set([v.id]), variants: [v], existing: [] })).toEqual({
      upsert: [{ entity_id: "iitem_1", reference: "TEE-S", variant_id: "tee_s", product_id: "prod_tee_s", activated: true, skip_reason: null }],
      remove: [],
    })
  })

  it("records why gift cards, virtual variants and variants without SKU are not sent", () => {
    const gift = variant("gc", { is_giftcard: true })
    const wrap = variant("wrap", { manage_inventory: false, inventory: [] })
    const nosku = variant("socks", { sku: null, inventory: [{ inventory_item_id: "iitem_socks", required_quantity: 1, sku: null }] })
    const noitem = variant("ghost", { inventory: [] })
    const plan = planProductQueue({ scopeVariantIds: new Set(["gc", "wrap", "socks", "ghost"]), variants: [gift, wrap, nosku, noitem], existing: [] })
    expect(plan.upsert.map((r) => [r.entity_id, r.reference, r.skip_reason])).toEqual([
      ["gc", "GC", SKIP_REASONS.giftCard],
      ["ghost", "GHOST", SKIP_REASONS.noInventoryItem],
      ["socks", "socks", SKIP_REASONS.noSku],
      ["wrap", "WRAP", SKIP_REASONS.notManaged],
    ])
    // A gift card's item is not sent either.
    expect(plan.upsert.some((r) => r.entity_id === "iitem_gc")).toBe(false)
  })

  it("sends a kit as its components: shared ones under their own variant, kit-only ones under the kit", () => {
    const teeS = variant("tee_s", { sku: "TEE-S", inventory: [{ inventory_item_id: "iitem_tee", required_quantity: 1, sku: "TEE-S" }] })
    const kit = variant("kit", {
      sku: "GIFT-SET",
      inventory: [
        { inventory_item_id: "iitem_tee", required_quantity: 1, sku: "TEE-S" },
        { inventory_item_id: "iitem_lid", required_quantity: 2, sku: "MUG-LID" },
      ],
    })
    const plan = planProductQueue({ scopeVariantIds: new Set(["kit"]), variants: [teeS, kit], existing: [] })
    expect(plan.upsert).toEqual([
      { entity_id: "kit", reference: "GIFT-SET", variant_id: "kit", product_id: "prod_kit", activated: true, skip_reason: "inventory kit: sent as its components TEE-S, MUG-LID ×2" },
      { entity_id: "iitem_lid", reference: "MUG-LID", variant_id: "kit", product_id: "prod_kit", activated: true, skip_reason: null },
      { entity_id: "iitem_tee", reference: "TEE-S", variant_id: "tee_s", product_id: "prod_tee_s", activated: true, skip_reason: null },
    ])
  })

  it("treats a multipack (one item, required quantity 2) as a kit", () => {
    const pack = variant("pack", { sku: "SOCKS-2", inventory: [{ inventory_item_id: "iitem_sock", required_quantity: 2, sku: "SOCK" }] })
    const plan = planProductQueue({ scopeVariantIds: new Set(["pack"]), variants: [pack], existing: [] })
    expect(plan.upsert.map((r) => [r.entity_id, r.reference, r.skip_reason])).toEqual([
      ["pack", "SOCKS-2", "inventory kit: sent as its components SOCK ×2"],
      ["iitem_sock", "SOCK", null],
    ])
  })

  it("names a kit component without SKU", () => {
    const kit = variant("kit", {
      inventory: [
        { inventory_item_id: "iitem_a", required_quantity: 1, sku: "A" },
        { inventory_item_id: "iitem_b", required_quantity: 1, sku: null },
      ],
    })
    const plan = planProductQueue({ scopeVariantIds: new Set(["kit"]), variants: [kit], existing: [] })
    expect(plan.upsert.map((r) => [r.entity_id, r.skip_reason])).toEqual([
      ["kit", "inventory kit: component iitem_b has no SKU; the others are sent: A"],
      ["iitem_a", null],
    ])
  })

  it("sends a SKU shared by two simple variants once, and says so on the other variant", () => {
    const a = variant("var_a", { inventory: [{ inventory_item_id: "iitem_x", required_quantity: 1, sku: "X" }] })
    const b = variant("var_b", { inventory: [{ inventory_item_id: "iitem_x", required_quantity: 1, sku: "X" }] })
    const plan = planProductQueue({ scopeVariantIds: new Set(["var_b"]), variants: [a, b], existing: [] })
    expect(plan.upsert.map((r) => [r.entity_id, r.variant_id, r.skip_reason])).toEqual([
      ["var_b", "var_b", "same stock-keeping unit X as variant var_a, which is sent"],
      ["iitem_x", "var_a", null],
    ])
    expect(ownerOf("iitem_x", [b, a])).toEqual({ owner: a, sole: true })
  })

  it("switches off a deleted product's exported SKUs and drops what OrderFlow never had", () => {
    const existing = [
      row({ entity_id: "iitem_sent", variant_id: "gone_1", product_id: "prod_gone" }),
      row({ entity_id: "iitem_unsent", variant_id: "gone_2", product_id: "prod_gone", status: "pending", exported_at: null }),
      row({ entity_id: "gone_3", variant_id: "gone_3", product_id: "prod_gone", status: "skipped", exported_at: null }),
      row({ entity_id: "iitem_off", variant_id: "gone_4", product_id: "prod_gone", activated: false }),
    ]
    const plan = planProductQueue({ scopeVariantIds: new Set(["gone_1", "gone_2", "gone_3", "gone_4"]), variants: [], existing })
    expect(plan.upsert).toEqual([
      { entity_id: "iitem_sent", reference: "IITEM_SENT", variant_id: "gone_1", product_id: "prod_gone", activated: false, skip_reason: null },
      {
        entity_id: "iitem_unsent",
        reference: "IITEM_UNSENT",
        variant_id: "gone_2",
        product_id: "prod_gone",
        activated: false,
        skip_reason: "no longer stocked by a Medusa variant; it was never sent to OrderFlow",
      },
    ])
    // Already switched off and exported: nothing to send again. The skip row of the deleted variant goes.
    expect(plan.remove).toEqual(["ofexi_gone_3"])
  })

  it("moves a kit component to the kit when its own variant is deleted", () => {
    const kit = variant("kit", {
      inventory: [
        { inventory_item_id: "iitem_tee", required_quantity: 1, sku: "TEE-S" },
        { inventory_item_id: "iitem_lid", required_quantity: 1, sku: "LID" },
      ],
    })
    const existing = [row({ entity_id: "iitem_tee", reference: "TEE-S", variant_id: "tee_s", product_id: "prod_tee" })]
    const plan = planProductQueue({ scopeVariantIds: new Set(["tee_s"]), variants: [kit], existing })
    expect(plan.upsert).toEqual([
      { entity_id: "iitem_tee", reference: "TEE-S", variant_id: "kit", product_id: "prod_kit", activated: true, skip_reason: null },
    ])
  })

  it("drops a variant's skip row once it is stocked, and switches the item off when inventory is no longer managed", () => {
    const stocked = variant("v1")
    const before = [row({ entity_id: "v1", variant_id: "v1", status: "skipped", exported_at: null })]
    expect(planProductQueue({ scopeVariantIds: new Set(["v1"]), variants: [stocked], existing: before })).toEqual({
      upsert: [{ entity_id: "iitem_v1", reference: "V1", variant_id: "v1", product_id: "prod_v1", activated: true, skip_reason: null }],
      remove: ["ofexi_v1"],
    })

    const virtual = variant("v1", { manage_inventory: false, inventory: [] })
    const exported = [row({ entity_id: "iitem_v1", reference: "V1", variant_id: "v1", product_id: "prod_v1" })]
    expect(planProductQueue({ scopeVariantIds: new Set(["v1"]), variants: [virtual], existing: exported }).upsert).toEqual([
      { entity_id: "v1", reference: "V1", variant_id: "v1", product_id: "prod_v1", activated: true, skip_reason: SKIP_REASONS.notManaged },
      { entity_id: "iitem_v1", reference: "V1", variant_id: "v1", product_id: "prod_v1", activated: false, skip_reason: null },
    ])
  })

  it("never lists the same entity twice (one upsert statement must not touch a row twice)", () => {
    const kit = variant("kit", {
      inventory: [
        { inventory_item_id: "iitem_a", required_quantity: 1, sku: "A" },
        { inventory_item_id: "iitem_b", required_quantity: 1, sku: "B" },
      ],
    })
    const a = variant("a", { inventory: [{ inventory_item_id: "iitem_a", required_quantity: 1, sku: "A" }] })
    const existing = [row({ entity_id: "iitem_a", variant_id: "a" }), row({ entity_id: "kit", variant_id: "kit", status: "skipped" })]
    const plan = planProductQueue({ scopeVariantIds: new Set(["kit", "a"]), variants: [kit, a], existing })
    const ids = plan.upsert.map((r) => r.entity_id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(["iitem_a", "iitem_b", "kit"])
  })
})
