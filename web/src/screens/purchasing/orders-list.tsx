import { Anchor, Button, Group, Select, Stack, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import {
  DataTable,
  type DataTableColumn,
  EmptyState,
  ErrorPanel,
  formatDate,
  formatMoney,
  formatQuantity,
} from '../../components';
import {
  PO_STATES,
  type PurchaseOrder,
  type PurchaseOrderState,
  usePurchaseOrders,
  useSuppliers,
} from './purchasing-api';
import { StateBadge } from './state-badge';

const nextDate = (order: PurchaseOrder) =>
  order.lines
    .filter((l) => l.open > 0)
    .map((l) => l.expectedDate)
    .sort()[0] ?? null;

const columns: DataTableColumn<PurchaseOrder>[] = [
  {
    id: 'id',
    header: 'Order',
    width: '7rem',
    cell: (o) => (
      <Anchor component={Link} to={`/purchasing/orders/${o.id}`}>
        PO {o.id}
      </Anchor>
    ),
  },
  { id: 'reference', header: 'Reference', cell: (o) => o.reference ?? '—' },
  { id: 'supplier', header: 'Supplier', width: '8rem', cell: (o) => o.supplier },
  { id: 'location', header: 'Location', width: '7rem', cell: (o) => o.location },
  { id: 'state', header: 'State', width: '10rem', cell: (o) => <StateBadge state={o.state} /> },
  { id: 'due', header: 'Next due', width: '9rem', cell: (o) => formatDate(nextDate(o)) },
  {
    id: 'open',
    header: 'Open units',
    width: '7rem',
    align: 'end',
    cell: (o) => formatQuantity(o.totals.open),
  },
  {
    id: 'cost',
    header: 'Cost',
    width: '8rem',
    align: 'end',
    cell: (o) => formatMoney(o.totals.cost),
  },
];

/** Every purchase order, filtered by state and supplier. */
export function OrdersList() {
  // Filters live in the URL, so a supplier's page can link to its orders and Back works.
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') as PurchaseOrderState | null) ?? null;
  const supplier = params.get('supplier');
  const setFilter = (name: 'state' | 'supplier', value: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  const suppliers = useSuppliers();
  const orders = usePurchaseOrders({
    ...(state && { state }),
    ...(supplier && { supplier }),
  });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Purchase orders</Title>
        <Button component={Link} to="/purchasing/orders/new">
          New purchase order
        </Button>
      </Group>
      <Group>
        <Select
          label="State"
          placeholder="Any state"
          clearable
          data={PO_STATES}
          value={state}
          onChange={(value) => setFilter('state', value)}
        />
        <Select
          label="Supplier"
          placeholder="Any supplier"
          clearable
          searchable
          data={(suppliers.data?.items ?? []).map((s) => ({
            value: s.code,
            label: `${s.code} · ${s.name}`,
          }))}
          value={supplier}
          onChange={(value) => setFilter('supplier', value)}
        />
      </Group>
      {orders.error ? (
        <ErrorPanel
          error={orders.error}
          title="Purchase orders could not be loaded"
          onRetry={() => orders.refetch()}
        />
      ) : (
        <DataTable
          label="Purchase orders"
          columns={columns}
          rows={orders.data?.items ?? []}
          rowKey={(o) => String(o.id)}
          height={520}
          empty={
            <EmptyState title={orders.isPending ? 'Loading…' : 'No purchase orders'}>
              {orders.isPending ? null : 'None match these filters.'}
            </EmptyState>
          }
        />
      )}
    </Stack>
  );
}
