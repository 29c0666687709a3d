import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, formatDate, formatQuantity } from '../../components';
import type { PurchaseOrder } from './types';
import { thisWeek } from './week';

/** The first date this week an open line of the order is expected. */
function dueOn(order: PurchaseOrder): string | undefined {
  const { from, to } = thisWeek();
  return order.lines
    .filter((line) => line.open > 0 && line.expectedDate >= from && line.expectedDate <= to)
    .map((line) => line.expectedDate)
    .sort()[0];
}

export function PurchaseOrdersDue({ orders }: { orders: PurchaseOrder[] }) {
  if (orders.length === 0) return <EmptyState title="Nothing due this week" />;
  const rows = orders
    .map((order) => ({ order, due: dueOn(order) ?? '' }))
    .sort((a, b) => a.due.localeCompare(b.due) || a.order.id - b.order.id);
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table aria-label="Purchase orders due this week" verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Order</Table.Th>
            <Table.Th scope="col">Supplier</Table.Th>
            <Table.Th scope="col">To</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
            <Table.Th scope="col" ta="right">
              Units to come
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ order, due }) => (
            <Table.Tr key={order.id}>
              <Table.Td>
                <Anchor component={Link} to={`/purchasing/orders/${order.id}`}>
                  {order.reference ?? `PO ${order.id}`}
                </Anchor>
              </Table.Td>
              <Table.Td>{order.supplier}</Table.Td>
              <Table.Td>{order.location}</Table.Td>
              <Table.Td>{formatDate(due)}</Table.Td>
              <Table.Td ta="right">{formatQuantity(order.totals.open)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
