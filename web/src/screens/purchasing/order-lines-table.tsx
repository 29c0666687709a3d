import { Anchor, Button, Group, Table, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { formatDate, formatMoney, formatQuantity } from '../../components';
import { isOpen, type PurchaseOrder, type PurchaseOrderLine } from './purchasing-api';

interface Props {
  order: PurchaseOrder;
  onChangeDate: (line: PurchaseOrderLine) => void;
  onCloseShort: (line: PurchaseOrderLine) => void;
}

/** An order's lines (a handful, so a plain table), with the changes a sent line allows. */
export function OrderLinesTable({ order, onChangeDate, onCloseShort }: Props) {
  const changeable = (line: PurchaseOrderLine) =>
    (order.state === 'draft' || isOpen(order.state)) && line.completedAt === null;
  return (
    <Table striped withTableBorder aria-label={`Lines of PO ${order.id}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">SKU</Table.Th>
          <Table.Th scope="col" ta="end">
            Ordered
          </Table.Th>
          <Table.Th scope="col" ta="end">
            Received
          </Table.Th>
          <Table.Th scope="col" ta="end">
            Open
          </Table.Th>
          <Table.Th scope="col" ta="end">
            Unit cost
          </Table.Th>
          <Table.Th scope="col">Expected</Table.Th>
          <Table.Th scope="col">Confidence</Table.Th>
          <Table.Th scope="col">Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {order.lines.map((line) => (
          <Table.Tr key={line.id}>
            <Table.Td>
              <Anchor component={Link} to={`/items/${encodeURIComponent(line.sku)}`}>
                {line.sku}
              </Anchor>
            </Table.Td>
            <Table.Td ta="end">
              {formatQuantity(line.quantity)}
              {line.cancelled > 0 && ` (${formatQuantity(line.cancelled)} cancelled)`}
            </Table.Td>
            <Table.Td ta="end">
              {formatQuantity(line.received)}
              {line.overReceived && ' (over)'}
            </Table.Td>
            <Table.Td ta="end">{formatQuantity(line.open)}</Table.Td>
            <Table.Td ta="end">{formatMoney(line.unitCost)}</Table.Td>
            <Table.Td>
              {formatDate(line.expectedDate)}
              {line.firstExpectedDate &&
                line.firstExpectedDate !== line.expectedDate &&
                ` (was ${formatDate(line.firstExpectedDate)})`}
            </Table.Td>
            <Table.Td>{line.confidence}</Table.Td>
            <Table.Td>
              {changeable(line) ? (
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="default" onClick={() => onChangeDate(line)}>
                    Change date<VisuallyHidden> of {line.sku}</VisuallyHidden>
                  </Button>
                  {isOpen(order.state) && line.open > 0 && (
                    <Button size="xs" variant="default" onClick={() => onCloseShort(line)}>
                      Close short<VisuallyHidden> {line.sku}</VisuallyHidden>
                    </Button>
                  )}
                </Group>
              ) : line.completedAt ? (
                'Complete'
              ) : (
                '—'
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
