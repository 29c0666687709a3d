import { Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDate, formatMoney, formatQuantity } from '../../components';
import type { Suggestion } from './purchasing-api';

/** Lines shown before "Show all": a suggestion can hold a whole range of a supplier. */
const PREVIEW_LINES = 5;

interface Props {
  suggestion: Suggestion;
  busy: boolean;
  onOrder: () => void;
  onDismiss: () => void;
  onOpenOrder: (id: number) => void;
}

/** One suggested order: why each line is there, and what to do with it. */
export function SuggestionCard({ suggestion: s, busy, onOrder, onDismiss, onOpenOrder }: Props) {
  const [all, setAll] = useState(false);
  const shown = all ? s.lines : s.lines.slice(0, PREVIEW_LINES);
  const poId = s.purchaseOrderId;
  const cost = s.lines.reduce((sum, l) => sum + l.quantity * l.unitCost, 0);
  return (
    <Card withBorder component="article" aria-labelledby={`suggestion-${s.id}`}>
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={3} size="h4" id={`suggestion-${s.id}`}>
            {s.supplier} → {s.location}: {s.lines.length} {s.lines.length === 1 ? 'item' : 'items'}
          </Title>
          <Text size="sm" c="gray.7">
            Order by {formatDate(s.orderByDate)}; an order sent today arrives{' '}
            {formatDate(s.arrivalDate)}. Cost {formatMoney(cost)}.
          </Text>
        </div>
        <Group>
          <Badge variant="light" c="dark.7">
            {s.state}
          </Badge>
          {s.state === 'open' && (
            <>
              <Button onClick={onOrder} loading={busy}>
                Make draft PO
              </Button>
              <Button variant="default" onClick={onDismiss} disabled={busy}>
                Dismiss
              </Button>
            </>
          )}
          {poId !== null && (
            <Button variant="default" onClick={() => onOpenOrder(poId)}>
              Open PO {poId}
            </Button>
          )}
        </Group>
      </Group>
      <Table aria-label={`Lines suggested for ${s.supplier} at ${s.location}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">SKU</Table.Th>
            <Table.Th scope="col" ta="end">
              Quantity
            </Table.Th>
            <Table.Th scope="col" ta="end">
              Position / reorder point
            </Table.Th>
            <Table.Th scope="col">Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((line) => (
            <Table.Tr key={line.sku}>
              <Table.Td>{line.sku}</Table.Td>
              <Table.Td ta="end">{formatQuantity(line.quantity)}</Table.Td>
              <Table.Td ta="end">
                {formatQuantity(line.inventoryPosition)} / {formatQuantity(line.reorderPoint)}
              </Table.Td>
              <Table.Td>{line.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {s.lines.length > PREVIEW_LINES && (
        <Button variant="subtle" size="xs" mt="xs" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show fewer lines' : `Show all ${s.lines.length} lines`}
        </Button>
      )}
    </Card>
  );
}
