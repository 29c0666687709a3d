import { Checkbox, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { DataTable, type DataTableColumn } from '../../components/data-table';
import { ErrorPanel } from '../../components/error-panel';
import { formatDate, formatQuantity } from '../../components/format';
import { ItemLink } from './item-link';
import { compact, useReportParams } from './period';
import { LocationFilter, ReportControls } from './report-controls';
import type { ReorderPointRow } from './report-types';

const PATH = '/v1/replenishment/reorder-points';
const units = (value: number) => formatQuantity(Math.round(value * 10) / 10);

/** Headers wrap onto two lines: the table's cells stay on one, but names need their words. */
const Head = ({ children }: { children: string }) => (
  <span style={{ display: 'block', whiteSpace: 'normal', lineHeight: 1.2, padding: '4px 0' }}>
    {children}
  </span>
);

const COLUMNS: DataTableColumn<ReorderPointRow>[] = [
  {
    id: 'item',
    header: 'Item',
    cell: (p) => <ItemLink sku={p.sku} name={p.name} />,
    width: 'minmax(10rem, 2fr)',
  },
  { id: 'location', header: <Head>Location</Head>, cell: (p) => p.location, width: '5.5rem' },
  { id: 'supplier', header: 'Supplier', cell: (p) => p.supplier, width: '6rem' },
  {
    id: 'demand',
    header: <Head>Forecast over lead time</Head>,
    cell: (p) => `${units(p.leadTimeDemand)} in ${units(p.protectionDays)} d`,
    align: 'end',
    width: '7.5rem',
  },
  {
    id: 'safety',
    header: <Head>Safety stock</Head>,
    cell: (p) => units(p.safetyStock),
    align: 'end',
    width: '5.5rem',
  },
  {
    id: 'rop',
    header: <Head>Reorder point</Head>,
    cell: (p) => p.reorderPoint,
    align: 'end',
    width: '5.5rem',
  },
  {
    id: 'position',
    header: <Head>Position</Head>,
    cell: (p) => p.inventoryPosition,
    align: 'end',
    width: '6rem',
  },
  {
    id: 'suggested',
    header: <Head>Suggested qty</Head>,
    cell: (p) => (p.suggestedQuantity > 0 ? <strong>{p.suggestedQuantity}</strong> : '0'),
    align: 'end',
    width: '6.75rem',
  },
  {
    id: 'stockout',
    header: 'Runs out',
    cell: (p) => formatDate(p.projectedStockoutDate),
    width: '8rem',
  },
];

/**
 * Reorder points of every item × location: what the forecast says stock must cover over
 * lead time and review, the buffer on top, where the inventory position stands and what a
 * refresh would order. A thousand rows and more, so the table is virtualised.
 */
export function ReorderPoints() {
  const { location, update } = useReportParams({ from: '', to: '' });
  const [toOrder, setToOrder] = useState(false);
  const [search, setSearch] = useState('');
  const needle = useDeferredValue(search.trim().toLowerCase());
  const query = compact({ location });
  const points = useQuery({
    queryKey: apiKey(PATH, query),
    queryFn: ({ signal }) => unwrap(api.GET(PATH, { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const rows = (points.data?.items ?? []).filter(
    (p) =>
      (!toOrder || p.suggestedQuantity > 0) &&
      (needle === '' ||
        p.sku.toLowerCase().includes(needle) ||
        p.name.toLowerCase().includes(needle)),
  );
  const ordering = (points.data?.items ?? []).filter((p) => p.suggestedQuantity > 0).length;
  return (
    <Stack gap="sm">
      <Title order={2}>Reorder points</Title>
      <Text size="sm" c="gray.7">
        Per item and location: forecast demand over the supplier's lead time plus a week's review,
        the safety stock for the item's service level, the reorder point, the inventory position (on
        hand − reserved + on order − backordered) and the quantity a refresh would suggest.
      </Text>
      <ReportControls>
        <LocationFilter value={location} onChange={(code) => update({ location: code })} />
        <TextInput
          label="Search"
          placeholder="SKU or name"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
        <Checkbox
          label="Only items to order"
          checked={toOrder}
          onChange={(event) => setToOrder(event.currentTarget.checked)}
          mb={8}
        />
      </ReportControls>
      {points.isError ? (
        <ErrorPanel
          error={points.error}
          title="Reorder points could not be loaded"
          onRetry={() => void points.refetch()}
        />
      ) : points.data === undefined ? (
        <Group role="status" gap="xs">
          <Loader size="sm" />
          <Text size="sm">Computing reorder points from the forecasts…</Text>
        </Group>
      ) : (
        <>
          <Text size="sm" role="status">
            {points.data.items.length} item × locations, {ordering} at or below their reorder point;
            showing {rows.length}.
            {points.data.skipped.length > 0 &&
              ` ${points.data.skipped.length} items have no clear supplier and are left out.`}
          </Text>
          <DataTable
            label="Reorder points"
            columns={COLUMNS}
            rows={rows}
            rowKey={(p) => `${p.sku}@${p.location}`}
            height={560}
          />
        </>
      )}
    </Stack>
  );
}
