import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { ErrorPanel } from '../../components';
import { useLocations, useSuppliers } from './purchasing-api';

interface DraftLine {
  key: number;
  sku: string;
  quantity: number | string;
  unitCost: number | string;
  expectedDate: string;
}

let nextKey = 1;
const emptyLine = (): DraftLine => ({
  key: nextKey++,
  sku: '',
  quantity: 1,
  unitCost: '',
  expectedDate: '',
});

/**
 * A new purchase order, created as a draft: the supplier's cost and lead time fill what a
 * line leaves out, so a buyer can type only SKUs and quantities.
 */
export function NewOrder() {
  const navigate = useNavigate();
  const suppliers = useSuppliers();
  const locations = useLocations();
  const [supplier, setSupplier] = useState<string | null>(null);
  const [location, setLocation] = useState<string | null>(null);
  const [reference, setReference] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([emptyLine()]);

  const create = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/purchase-orders', {
          body: {
            supplier: supplier ?? '',
            location: location ?? '',
            ...(reference.trim() && { reference: reference.trim() }),
            lines: lines.map((l) => ({
              sku: l.sku.trim(),
              quantity: Number(l.quantity),
              ...(l.unitCost !== '' && { unitCost: Number(l.unitCost) }),
              ...(l.expectedDate && { expectedDate: l.expectedDate }),
            })),
          },
        }),
      ),
    invalidates: ['/v1/purchase-orders'],
    successMessage: (order) => `Draft PO ${order.id} created`,
    onSuccess: (order) => navigate(`/purchasing/orders/${order.id}`),
  });

  const update = (key: number, change: Partial<DraftLine>) =>
    setLines((all) => all.map((l) => (l.key === key ? { ...l, ...change } : l)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Stack component="form" onSubmit={submit} maw={900}>
      <Title order={2}>New purchase order</Title>
      <Group grow>
        <Select
          label="Supplier"
          required
          searchable
          data={(suppliers.data?.items ?? []).map((s) => ({
            value: s.code,
            label: `${s.code} · ${s.name}`,
          }))}
          value={supplier}
          onChange={setSupplier}
        />
        <Select
          label="Deliver to"
          required
          data={(locations.data?.items ?? []).map((l) => ({
            value: l.code,
            label: `${l.code} · ${l.name}`,
          }))}
          value={location}
          onChange={setLocation}
        />
        <TextInput
          label="Reference"
          value={reference}
          onChange={(e) => setReference(e.currentTarget.value)}
        />
      </Group>
      <Title order={3}>Lines</Title>
      <Text size="sm" c="gray.7">
        Leave the unit cost or the expected date empty to take the supplier's price and lead time.
      </Text>
      {lines.map((line, i) => (
        <Group key={line.key} align="flex-end" wrap="nowrap">
          <TextInput
            label={`SKU, line ${i + 1}`}
            required
            value={line.sku}
            onChange={(e) => update(line.key, { sku: e.currentTarget.value })}
          />
          <NumberInput
            label={`Quantity, line ${i + 1}`}
            required
            min={1}
            allowDecimal={false}
            value={line.quantity}
            onChange={(value) => update(line.key, { quantity: value })}
          />
          <NumberInput
            label={`Unit cost, line ${i + 1}`}
            min={0}
            decimalScale={2}
            value={line.unitCost}
            onChange={(value) => update(line.key, { unitCost: value })}
          />
          <TextInput
            type="date"
            label={`Expected, line ${i + 1}`}
            value={line.expectedDate}
            onChange={(e) => update(line.key, { expectedDate: e.currentTarget.value })}
          />
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`Remove line ${i + 1}`}
            disabled={lines.length === 1}
            onClick={() => setLines((all) => all.filter((l) => l.key !== line.key))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="default" onClick={() => setLines((all) => [...all, emptyLine()])}>
          Add a line
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create draft
        </Button>
      </Group>
      {create.error && <ErrorPanel error={create.error} title="The order was not created" />}
    </Stack>
  );
}
