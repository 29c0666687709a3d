import { useQuery } from '@tanstack/react-query';
import type { components, paths } from '../../../../clients/stockroom-api';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';

/** The API's shapes this screen reads, named once. */
export type PurchaseOrder = components['schemas']['PurchaseOrder'];
export type PurchaseOrderLine = PurchaseOrder['lines'][number];
export type PurchaseOrderState = PurchaseOrder['state'];
export type Supplier = components['schemas']['Supplier'];
export type SupplierPerformance = components['schemas']['SupplierPerformance'];
export type Suggestion = components['schemas']['PurchaseSuggestion'];
export type LineChange =
  paths['/v1/purchase-orders/{id}/lines/{line}']['patch']['requestBody']['content']['application/json'];
export type LineChangePreview =
  paths['/v1/purchase-orders/{id}/lines/{line}/preview']['post']['responses'][200]['content']['application/json'];
export type HistoryEntry =
  paths['/v1/purchase-orders/{id}/history']['get']['responses'][200]['content']['application/json']['items'][number];

export const PO_STATES: { value: PurchaseOrderState; label: string }[] = [
  { value: 'draft', label: 'Draft' },
  { value: 'sent', label: 'Sent' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'partially_received', label: 'Partly received' },
  { value: 'received', label: 'Received' },
  { value: 'cancelled', label: 'Cancelled' },
];

export const stateLabel = (state: PurchaseOrderState) =>
  PO_STATES.find((s) => s.value === state)?.label ?? state;

/** Still open: goods may arrive and dates may move. */
export const isOpen = (state: PurchaseOrderState) =>
  state === 'sent' || state === 'confirmed' || state === 'partially_received';

export function usePurchaseOrders(filter: { state?: PurchaseOrderState; supplier?: string }) {
  const query = { limit: 200, ...filter };
  return useQuery({
    queryKey: apiKey('/v1/purchase-orders', query),
    queryFn: () => unwrap(api.GET('/v1/purchase-orders', { params: { query } })),
  });
}

export function usePurchaseOrder(id: number) {
  return useQuery({
    queryKey: apiKey('/v1/purchase-orders/{id}', { id }),
    queryFn: () => unwrap(api.GET('/v1/purchase-orders/{id}', { params: { path: { id } } })),
  });
}

export function usePurchaseOrderHistory(id: number) {
  return useQuery({
    queryKey: apiKey('/v1/purchase-orders/{id}/history', { id }),
    queryFn: () =>
      unwrap(api.GET('/v1/purchase-orders/{id}/history', { params: { path: { id } } })),
  });
}

export function useSuppliers() {
  const query = { limit: 200 };
  return useQuery({
    queryKey: apiKey('/v1/suppliers', query),
    queryFn: () => unwrap(api.GET('/v1/suppliers', { params: { query } })),
  });
}

export function useLocations() {
  const query = { limit: 200 };
  return useQuery({
    queryKey: apiKey('/v1/locations', query),
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query } })),
  });
}
