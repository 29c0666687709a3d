import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, formatDate, formatQuantity } from '../../components';
import type { WaitingLine } from './types';

interface WaitingListProps {
  lines: WaitingLine[];
  shown: number;
  /** Names the table ("Lines without a date"). */
  label: string;
  empty: string;
}

/** A few waiting lines, oldest first (first in the queue), each linking to its item. */
export function WaitingList({ lines, shown, label, empty }: WaitingListProps) {
  if (lines.length === 0) return <EmptyState title={empty} />;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label={label} verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Item</Table.Th>
            <Table.Th scope="col">Order</Table.Th>
            <Table.Th scope="col" ta="right">
              Waiting
            </Table.Th>
            <Table.Th scope="col">Promised</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.slice(0, shown).map((line) => (
            <Table.Tr key={`${line.orderId}-${line.line}`}>
              <Table.Td>
                <Anchor component={Link} to={`/items/${encodeURIComponent(line.sku)}`}>
                  {line.sku}
                </Anchor>{' '}
                <Text span size="xs" c="gray.7">
                  {line.name}
                </Text>
              </Table.Td>
              <Table.Td>
                {line.reference ?? `#${line.orderId}`}
                {line.customer && (
                  <Text span size="xs" c="gray.7">
                    {' '}
                    · {line.customer.name}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatQuantity(line.backordered)}</Table.Td>
              <Table.Td>{line.promisedDate ? formatDate(line.promisedDate) : 'No date'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
