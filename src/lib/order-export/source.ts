import type { Amount } from "./format"

// The shapes the order export reads, as Medusa's Query returns them
// (src/workflows/export-orders loads them). Declared here, structurally, so
// that the mapping stays framework-free and testable with literal objects.

export type SourceAddress = {
  first_name?: string | null
  last_name?: string | null
  company?: string | null
  address_1?: string | null
  address_2?: string | null
  city?: string | null
  province?: string | null
  postal_code?: string | null
  country_code?: string | null
  phone?: string | null
}

/** A promotion's adjustment of a line item or shipping method; `raw_amount` is the stored value Medusa computes from. */
export type SourceAdjustment = { code?: string | null; amount?: Amount; raw_amount?: Amount; is_tax_inclusive?: boolean | null }

export type SourceTaxLine = { rate?: Amount; raw_rate?: Amount }

export type SourceLineItem = {
  id: string
  title?: string | null
  product_title?: string | null
  variant_title?: string | null
  variant_id?: string | null
  variant_sku?: string | null
  quantity: Amount
  requires_shipping?: boolean | null
  is_giftcard?: boolean | null
  /** After discounts, tax included (computed: order-totals.ts). */
  total?: Amount
  tax_total?: Amount
  adjustments?: SourceAdjustment[] | null
  /** The inputs of the totals (order-totals.ts). */
  unit_price?: Amount
  raw_unit_price?: Amount
  raw_quantity?: Amount
  is_tax_inclusive?: boolean | null
  tax_lines?: SourceTaxLine[] | null
  /** The order item: returned quantities are not charged. */
  detail?: {
    return_received_quantity?: Amount
    raw_return_received_quantity?: Amount
    return_dismissed_quantity?: Amount
    raw_return_dismissed_quantity?: Amount
  } | null
}

export type SourceShippingMethod = {
  name?: string | null
  shipping_option_id?: string | null
  adjustments?: SourceAdjustment[] | null
  amount?: Amount
  raw_amount?: Amount
  is_tax_inclusive?: boolean | null
  tax_lines?: SourceTaxLine[] | null
}

export type SourcePayment = {
  id: string
  provider_id?: string | null
  captured_at?: string | Date | null
  canceled_at?: string | Date | null
}

export type SourcePaymentCollection = {
  id?: string
  status?: string | null
  amount?: Amount
  captured_amount?: Amount
  completed_at?: string | Date | null
  payments?: SourcePayment[] | null
}

export type SourceOrder = {
  id: string
  display_id: number | string
  status: string
  created_at: string | Date
  canceled_at?: string | Date | null
  email?: string | null
  currency_code: string
  metadata?: Record<string, unknown> | null
  /** Totals (computed from the inputs by order-totals.ts, or Medusa's own for a previewed order edit). */
  total?: Amount
  tax_total?: Amount
  shipping_total?: Amount
  shipping_tax_total?: Amount
  discount_total?: Amount
  items?: SourceLineItem[] | null
  shipping_address?: SourceAddress | null
  billing_address?: SourceAddress | null
  shipping_methods?: SourceShippingMethod[] | null
  payment_collections?: SourcePaymentCollection[] | null
  credit_lines?: Array<{ amount?: Amount; raw_amount?: Amount } | null> | null
}

/** A variant with the inventory items it is made of (one for a plain variant, several for a kit). */
export type SourceVariant = {
  id: string
  sku?: string | null
  title?: string | null
  manage_inventory?: boolean | null
  inventory_items?: Array<{
    required_quantity?: Amount
    inventory?: { sku?: string | null; title?: string | null } | null
  } | null> | null
}

/** The shipping option behind a shipping method: its type code and label name the delivery service. */
export type SourceShippingOption = { id: string; name?: string | null; type?: { code?: string | null; label?: string | null } | null }
