import type { Generated } from 'kysely';

export interface SuppliersTable {
  id: Generated<number>;
  code: string;
  name: string;
  email: string;
  lead_time_days: number;
  min_order_quantity: number;
  case_pack: number;
  created_at: string;
  updated_at: string;
}

/** What a supplier sells us: their SKU, our cost, and an optional lead-time override. */
export interface SupplierItemsTable {
  supplier_id: number;
  item_id: number;
  supplier_sku: string | null;
  unit_cost_cents: number;
  lead_time_days: number | null;
  /** 1 for the item's preferred supplier (at most one per item), else 0. */
  preferred: number;
  created_at: string;
  updated_at: string;
}
