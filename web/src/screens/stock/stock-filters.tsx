import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { availabilityStateLabel } from '../../components';
import { STATES, type StockFilters } from './filters';
import type { Option } from './use-filter-options';

interface StockFiltersProps {
  filters: StockFilters;
  setFilter: (key: keyof StockFilters, value: string | null) => void;
  clear: () => void;
  options: {
    channelOptions: Option[];
    locationOptions: Option[];
    categoryOptions: Option[];
    supplierOptions: Option[];
  };
}

const stateOptions = STATES.map((state) => ({
  value: state,
  label: availabilityStateLabel(state),
}));

export function StockFiltersBar({ filters, setFilter, clear, options }: StockFiltersProps) {
  // The box answers each key at once; the URL (and the request) follows when typing pauses.
  const [text, setText] = useState(filters.q ?? '');
  const commit = useDebouncedCallback((value: string) => setFilter('q', value), 300);
  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  const select = (key: keyof StockFilters, label: string, data: Option[], placeholder: string) => (
    <Select
      label={label}
      placeholder={placeholder}
      data={data}
      value={filters[key] ?? null}
      onChange={(value) => setFilter(key, value)}
      clearable
      searchable
      w={180}
      comboboxProps={{ withinPortal: true }}
    />
  );
  return (
    <Group align="flex-end" gap="sm" mb="md" role="search" aria-label="Filter stock">
      <TextInput
        label="Search SKU or name"
        placeholder="e.g. KIT-0101 or kettle"
        type="search"
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          commit(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') setFilter('q', text);
        }}
        w={240}
      />
      {select('state', 'State', stateOptions, 'Any state')}
      {select('channel', 'Channel', options.channelOptions, 'Every channel')}
      {select('location', 'Location', options.locationOptions, 'Every location')}
      {select('category', 'Category', options.categoryOptions, 'Any category')}
      {select('supplier', 'Supplier', options.supplierOptions, 'Any supplier')}
      <Button variant="subtle" onClick={clear} disabled={Object.keys(filters).length === 0}>
        Clear filters
      </Button>
    </Group>
  );
}
