import { Button, Group, Select, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useLocations } from './backorder-queries';
import type { BackorderFilters } from './types';

interface FiltersProps {
  value: BackorderFilters;
  onChange: (next: BackorderFilters) => void;
}

/** Item and location filters; they live in the URL, so a link (from Today, an alert) sets them. */
export function Filters({ value, onChange }: FiltersProps) {
  const locations = useLocations();
  const [sku, setSku] = useState(value.sku ?? '');
  useEffect(() => setSku(value.sku ?? ''), [value.sku]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = sku.trim().toUpperCase();
    onChange({ ...value, sku: trimmed === '' ? undefined : trimmed });
  };
  const options = (locations.data?.items ?? []).map((l) => ({
    value: l.code,
    label: `${l.code} · ${l.name}`,
  }));
  return (
    <form onSubmit={submit} aria-label="Filter backorders">
      <Group align="flex-end" gap="sm" mb="md" wrap="wrap">
        <TextInput
          label="Item SKU"
          placeholder="Any item"
          value={sku}
          onChange={(event) => setSku(event.currentTarget.value)}
          w={180}
        />
        <Select
          label="Location"
          placeholder="Any location"
          data={options}
          value={value.location ?? null}
          onChange={(location) => onChange({ ...value, location: location ?? undefined })}
          clearable
          w={220}
          disabled={locations.isError}
        />
        <Button type="submit">Filter</Button>
        {(value.sku !== undefined || value.location !== undefined) && (
          <Button variant="subtle" onClick={() => onChange({})}>
            Clear filters
          </Button>
        )}
      </Group>
    </form>
  );
}
