import { Button, Group, Text } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { ErrorPanel, PageTitle } from '../../components';
import { csvHref, useStockFilters } from './filters';
import { StockFiltersBar } from './stock-filters';
import { StockTable } from './stock-table';
import { useFilterOptions } from './use-filter-options';
import { useLiveRows } from './use-live-rows';
import { useStockRows } from './use-stock-rows';

/**
 * Every item × location with its quantities and per-channel state: filtered from the URL,
 * paged from the API as the table scrolls, kept current by the event stream.
 */
export default function StockScreen() {
  const [filters, setFilter] = useStockFilters();
  const [, setParams] = useSearchParams();
  const options = useFilterOptions();
  const stock = useStockRows(filters);
  const flashing = useLiveRows(filters);
  const channels = options.channels.filter(
    (c) => filters.channel === undefined || c.code === filters.channel,
  );
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageTitle>Stock</PageTitle>
        <Button component="a" href={csvHref(filters)} download="stock.csv" variant="light">
          Export CSV
        </Button>
      </Group>
      <StockFiltersBar
        filters={filters}
        setFilter={setFilter}
        clear={() => setParams(new URLSearchParams())}
        options={options}
      />
      {options.error && <ErrorPanel error={options.error} title="Filters could not be loaded" />}
      {stock.isError ? (
        <ErrorPanel
          error={stock.error}
          title="Stock could not be loaded"
          onRetry={() => void stock.refetch()}
        />
      ) : stock.isPending ? (
        <Text aria-live="polite">Loading stock…</Text>
      ) : (
        <StockTable
          rows={stock.rows}
          channels={channels}
          flashing={flashing}
          hasMore={stock.hasNextPage}
          onEndReached={stock.loadMore}
        />
      )}
    </>
  );
}
