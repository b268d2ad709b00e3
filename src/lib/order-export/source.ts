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

export type SourceAdjustment = { code?: string | null; amount?: Amount }

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
  /** After discounts, tax included. */
  total?: Amount
  tax_total?: Amount
  adjustments?: SourceAdjustment[] | null
}

export type SourceShippingMethod = {
  name?: string | null
  shipping_option_id?: string | null
  adjustments?: SourceAdjustment[] | null
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
