import { Anchor, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { ErrorPanel, formatMoney, formatQuantity } from '../../components';
import type { SupplierPerformance } from './purchasing-api';

type Figures = SupplierPerformance['overall'];

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
const leadTime = (f: Figures) =>
  f.leadTimeDays === null
    ? '—'
    : `${f.leadTimeDays.mean.toFixed(1)} ± ${f.leadTimeDays.stdDev.toFixed(1)} days`;

/** A supplier: contact and terms, how it has delivered, and what it sells at what cost. */
export function SupplierDetail() {
  const code = useParams().code ?? '';
  const path = { params: { path: { code } } };
  const supplier = useQuery({
    queryKey: apiKey('/v1/suppliers/{code}', { code }),
    queryFn: () => unwrap(api.GET('/v1/suppliers/{code}', path)),
  });
  const performance = useQuery({
    queryKey: apiKey('/v1/suppliers/{code}/performance', { code }),
    queryFn: () => unwrap(api.GET('/v1/suppliers/{code}/performance', path)),
  });
  const items = useQuery({
    queryKey: apiKey('/v1/suppliers/{code}/items', { code }),
    queryFn: () =>
      unwrap(
        api.GET('/v1/suppliers/{code}/items', {
          params: { path: { code }, query: { limit: 1000 } },
        }),
      ),
  });
  const error = supplier.error ?? performance.error ?? items.error;
  if (error) return <ErrorPanel error={error} title={`Supplier ${code} could not be loaded`} />;
  if (!supplier.data || !performance.data) return <Loader aria-label="Loading the supplier" />;
  const s = supplier.data;
  const overall = performance.data.overall;
  return (
    <Stack>
      <Anchor component={Link} to="/purchasing/suppliers">
        ← All suppliers
      </Anchor>
      <Title order={2}>
        {s.name} ({s.code})
      </Title>
      <Group gap="xl">
        <Text>{s.email}</Text>
        <Text>Lead time {s.leadTimeDays} days</Text>
        <Text>Minimum order {formatQuantity(s.minOrderQuantity)}</Text>
        <Text>Case pack {formatQuantity(s.casePack)}</Text>
        <Anchor component={Link} to={`/purchasing?supplier=${encodeURIComponent(s.code)}`}>
          Its purchase orders
        </Anchor>
      </Group>
      <Title order={3}>Performance</Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label="Lines sent" value={formatQuantity(overall.lines)} />
        <Figure label="Lead time (sent → last unit)" value={leadTime(overall)} />
        <Figure
          label={`On time (${overall.onTimeSamples} due)`}
          value={percent(overall.onTimeRate)}
        />
        <Figure label="Fill rate" value={percent(overall.fillRate)} />
      </SimpleGrid>
      <Title order={3}>Items</Title>
      <Table striped withTableBorder aria-label={`Items ${s.code} sells`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">SKU</Table.Th>
            <Table.Th scope="col">Supplier SKU</Table.Th>
            <Table.Th scope="col" ta="end">
              Unit cost
            </Table.Th>
            <Table.Th scope="col" ta="end">
              Lead time
            </Table.Th>
            <Table.Th scope="col" ta="end">
              On time
            </Table.Th>
            <Table.Th scope="col" ta="end">
              Fill rate
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(items.data?.items ?? []).map((item) => {
            const perf = performance.data.items.find((p) => p.sku === item.sku);
            return (
              <Table.Tr key={item.sku}>
                <Table.Td>
                  <Anchor component={Link} to={`/items/${encodeURIComponent(item.sku)}`}>
                    {item.sku}
                  </Anchor>
                  {item.preferred && ' (preferred)'}
                </Table.Td>
                <Table.Td>{item.supplierSku ?? '—'}</Table.Td>
                <Table.Td ta="end">{formatMoney(item.unitCost)}</Table.Td>
                <Table.Td ta="end">{item.effectiveLeadTimeDays} days</Table.Td>
                <Table.Td ta="end">{perf ? percent(perf.onTimeRate) : '—'}</Table.Td>
                <Table.Td ta="end">{perf ? percent(perf.fillRate) : '—'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Paper>
  );
}
