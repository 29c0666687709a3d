import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { EmptyState, formatDateTime, formatQuantity } from '../../components';
import { type Decision, DecisionDialog } from './decision-dialog';
import { ageOf, orderLabel } from './group';
import type { WaitingLine } from './types';

/**
 * Lines with units no supply covers: each needs staff to cancel it or keep it waiting.
 * Lines already kept waiting stay listed (marked), so the decision can still be revisited.
 */
export function DecisionsTable({ lines }: { lines: WaitingLine[] }) {
  const [open, setOpen] = useState<{ line: WaitingLine; decision: Decision } | undefined>();
  if (lines.length === 0)
    return (
      <EmptyState title="No line is without a date">
        Every waiting line has supply behind it.
      </EmptyState>
    );
  // Undecided first; queue order within each part.
  const sorted = [
    ...lines.filter((l) => l.keptWaiting === null),
    ...lines.filter((l) => l.keptWaiting !== null),
  ];
  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table aria-label="Lines with no date" data-testid="decisions" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Item</Table.Th>
              <Table.Th scope="col">Order</Table.Th>
              <Table.Th scope="col">Customer</Table.Th>
              <Table.Th scope="col" ta="right">
                No date
              </Table.Th>
              <Table.Th scope="col">Age</Table.Th>
              <Table.Th scope="col">Decision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((line) => {
              const label = `${line.sku} on order ${orderLabel(line)}`;
              return (
                <Table.Tr key={`${line.orderId}-${line.line}`} data-order={line.orderId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/items/${encodeURIComponent(line.sku)}`}>
                      {line.sku}
                    </Anchor>
                    <Text size="xs" c="gray.7">
                      {line.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {orderLabel(line)}
                    <Text size="xs" c="gray.7">
                      line {line.line} · {line.channel}
                    </Text>
                  </Table.Td>
                  <Table.Td>{line.customer?.name ?? '—'}</Table.Td>
                  <Table.Td ta="right">
                    {formatQuantity(line.unpromised)} of {formatQuantity(line.backordered)}
                  </Table.Td>
                  <Table.Td>{ageOf(line.orderedAt)}</Table.Td>
                  <Table.Td>
                    {line.keptWaiting && (
                      <Badge
                        variant="light"
                        color="gray"
                        c="dark.7"
                        mb={4}
                        title={line.keptWaiting.note ?? undefined}
                      >
                        Kept waiting {formatDateTime(line.keptWaiting.decidedAt)}
                      </Badge>
                    )}
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        color="red.9"
                        variant="outline"
                        onClick={() => setOpen({ line, decision: 'cancel' })}
                        aria-label={`Cancel line: ${label}`}
                      >
                        Cancel line
                      </Button>
                      {line.keptWaiting === null && (
                        <Button
                          size="xs"
                          variant="outline"
                          onClick={() => setOpen({ line, decision: 'keep' })}
                          aria-label={`Keep waiting: ${label}`}
                        >
                          Keep waiting
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {open && (
        <DecisionDialog
          line={open.line}
          decision={open.decision}
          onClose={() => setOpen(undefined)}
        />
      )}
    </>
  );
}
