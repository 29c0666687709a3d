import { Anchor, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  AvailabilityStateBadge,
  DataTable,
  type DataTableColumn,
  EmptyState,
  formatDate,
  formatQuantity,
} from '../../components';
import classes from './stock.module.css';
import { rowKey, type StockRow } from './use-stock-rows';

interface StockTableProps {
  rows: StockRow[];
  /** Channel codes and names, one state column each. */
  channels: { code: string; name: string }[];
  flashing: ReadonlySet<string>;
  hasMore: boolean;
  onEndReached: () => void;
}

/** Column headings a size down, so they fit the narrow number columns whole. */
const Heading = ({ children }: { children: ReactNode }) => (
  <Text span size="sm" fw={600}>
    {children}
  </Text>
);

const number = (pick: (row: StockRow) => number) => (row: StockRow) => formatQuantity(pick(row));

export function StockTable({ rows, channels, flashing, hasMore, onEndReached }: StockTableProps) {
  // The changed row's cells carry the highlight (DataTable styles rows itself).
  const flash = (row: StockRow, content: ReactNode) => (
    <span className={flashing.has(rowKey(row)) ? classes.flash : undefined}>{content}</span>
  );
  const quantity = (id: string, header: ReactNode, pick: (row: StockRow) => number) => ({
    id,
    header: <Heading>{header}</Heading>,
    width: '6.5rem',
    align: 'end' as const,
    cell: (row: StockRow) => flash(row, number(pick)(row)),
  });
  const columns: DataTableColumn<StockRow>[] = [
    {
      id: 'item',
      header: <Heading>Item</Heading>,
      width: 'minmax(11rem, 1fr)',
      // SKU over name in one cell: the quantities and channel states need the width.
      cell: (row) => (
        <Stack gap={0} title={row.name}>
          <Anchor component={Link} to={`/items/${encodeURIComponent(row.sku)}`} size="sm">
            {row.sku}
          </Anchor>
          <Text size="xs" truncate>
            {row.name}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'location',
      header: <Heading>Location</Heading>,
      width: '6.5rem',
      cell: (row) => row.location,
    },
    quantity('onHand', 'On hand', (row) => row.onHand),
    quantity('reserved', 'Reserved', (row) => row.reserved),
    quantity(
      'safetyStock',
      <abbr title="Safety stock: held back from sale">Safety</abbr>,
      (row) => row.safetyStock,
    ),
    quantity('available', 'Available', (row) => row.available),
    {
      ...quantity('incoming', 'Incoming', (row) => row.incoming),
      cell: (row) =>
        flash(
          row,
          <span title={row.nextExpectedDate ? `Next on ${formatDate(row.nextExpectedDate)}` : ''}>
            {formatQuantity(row.incoming)}
          </span>,
        ),
    },
    ...channels.map(
      (channel): DataTableColumn<StockRow> => ({
        id: `channel-${channel.code}`,
        header: <Heading>{channel.name}</Heading>,
        width: '8.75rem',
        cell: (row) => {
          const state = row.channels.find((c) => c.channel === channel.code);
          return state ? flash(row, <AvailabilityStateBadge state={state.state} />) : '—';
        },
      }),
    ),
  ];
  return (
    <>
      <DataTable
        label="Stock by item and location"
        columns={columns}
        rows={rows}
        rowKey={rowKey}
        height="calc(100vh - 21rem)"
        rowHeight={52}
        onEndReached={onEndReached}
        empty={<EmptyState title="No stock matches">Change or clear the filters.</EmptyState>}
      />
      <Text size="sm" mt="xs" aria-live="polite">
        {formatQuantity(rows.length)} rows{hasMore ? ' loaded, more as you scroll' : ''}
      </Text>
    </>
  );
}
