import { buildImportsDocument, ImportItem } from "../xml/imports-document"
import { applyExtraFields } from "./extra-fields"
import { mapProductUnit, ProductMappingOptions, ProductUnitFacts } from "./product-fields"

export type MappedUnit = { export_item_id: string; reference: string; item: ImportItem }

export type MappedUnits = {
  mapped: MappedUnit[]
  rejected: Array<{ id: string; reference: string; message: string }>
}

/** Maps every unit of a batch; a unit that cannot be sent is rejected with the reason. */
export function mapProductUnits(units: ReadonlyArray<ProductUnitFacts>, options: ProductMappingOptions): MappedUnits {
  const mapped: MappedUnit[] = []
  const rejected: MappedUnits["rejected"] = []
  for (const unit of units) {
    const result = mapProductUnit(unit, options)
    if (result.ok) mapped.push({ export_item_id: unit.export_item_id, reference: result.item.externalReference, item: result.item })
    else rejected.push({ id: unit.export_item_id, reference: unit.reference, message: result.message })
  }
  return { mapped, rejected }
}

export type ProductDocument = {
  document: string | null
  /** What OrderFlow will report on, by the externalReference sent. */
  sent: Array<{ id: string; reference: string }>
  rejected: Array<{ id: string; reference: string; message: string }>
}

/**
 * The one `<imports>` document of a batch, after the merchant's extra fields.
 * Two rows with the same SKU (an item re-created under an old SKU) cannot be
 * told apart in OrderFlow's reply, so only the first is sent; the other stays
 * pending for the next batch.
 */
export function buildProductDocument(units: MappedUnits, extra: unknown): ProductDocument {
  const rejected = [...units.rejected]
  const seen = new Set<string>()
  const toSend: ImportItem[] = []
  const sent: ProductDocument["sent"] = []
  for (const unit of units.mapped) {
    if (seen.has(unit.reference)) continue
    const { items, rejected: bad } = applyExtraFields([unit.item], extra)
    if (bad.length) {
      rejected.push({ id: unit.export_item_id, reference: unit.reference, message: bad[0].message })
      continue
    }
    seen.add(unit.reference)
    toSend.push(items[0])
    sent.push({ id: unit.export_item_id, reference: unit.reference })
  }
  return { document: toSend.length ? buildImportsDocument(toSend) : null, sent, rejected }
}
