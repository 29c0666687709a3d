import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, formatDate, formatQuantity } from '../../components';
import { ageOf, groupByItemAndLocation, orderLabel } from './group';
import type { WaitingLine } from './types';

/** The backorder queue, one table per item × location, lines in the order they are served. */
export function QueueGroups({ lines }: { lines: WaitingLine[] }) {
  const groups = groupByItemAndLocation(lines);
  if (groups.length === 0) return <EmptyState title="No order is waiting for supply" />;
  return (
    <Stack gap="lg" data-testid="queue">
      {groups.map((group) => (
        <section key={group.key} aria-labelledby={`queue-${group.key}`}>
          <Title order={3} size="h5" id={`queue-${group.key}`} mb={4}>
            <Anchor component={Link} to={`/items/${encodeURIComponent(group.sku)}`} inherit>
              {group.sku}
            </Anchor>{' '}
            {group.name} at {group.location}{' '}
            <Text span size="sm" c="gray.7" fw={400}>
              · {formatQuantity(group.units)} {group.units === 1 ? 'unit' : 'units'} on{' '}
              {group.lines.length} {group.lines.length === 1 ? 'line' : 'lines'}
            </Text>
          </Title>
          <Table.ScrollContainer minWidth={720}>
            <Table aria-labelledby={`queue-${group.key}`} verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={60}>
                    Place
                  </Table.Th>
                  <Table.Th scope="col">Order</Table.Th>
                  <Table.Th scope="col">Customer</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Waiting
                  </Table.Th>
                  <Table.Th scope="col">Promised for</Table.Th>
                  <Table.Th scope="col">Age</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {group.lines.map(({ line, place }) => (
                  <Table.Tr key={`${line.orderId}-${line.line}`}>
                    <Table.Td>{place}</Table.Td>
                    <Table.Td>
                      {orderLabel(line)}{' '}
                      <Text span size="xs" c="gray.7">
                        line {line.line} · {line.channel}
                      </Text>
                    </Table.Td>
                    <Table.Td>{line.customer?.name ?? '—'}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(line.backordered)}</Table.Td>
                    <Table.Td>
                      {line.unpromised > 0 ? (
                        <Badge color="orange" variant="light" c="dark.7">
                          {line.unpromised === line.backordered
                            ? 'No date'
                            : `${formatQuantity(line.unpromised)} with no date`}
                        </Badge>
                      ) : (
                        formatDate(line.promisedDate)
                      )}
                    </Table.Td>
                    <Table.Td>{ageOf(line.orderedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </section>
      ))}
    </Stack>
  );
}
