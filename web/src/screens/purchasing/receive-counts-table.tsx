import { NumberInput, Table, Text } from '@mantine/core';
import { formatQuantity } from '../../components';
import type { PurchaseOrderLine } from './purchasing-api';

interface Props {
  lines: PurchaseOrderLine[];
  counts: Record<number, number>;
  onCount: (line: number, quantity: number) => void;
}

/** Units counted per open line; a count can be corrected by hand (a case of 12 scanned once). */
export function ReceiveCountsTable({ lines, counts, onCount }: Props) {
  if (lines.length === 0) return <Text>Every line is complete: nothing more to receive.</Text>;
  return (
    <Table withTableBorder aria-label="Units counted">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">SKU</Table.Th>
          <Table.Th scope="col" ta="end">
            Open
          </Table.Th>
          <Table.Th scope="col">Counted</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((line) => {
          const counted = counts[line.id] ?? 0;
          return (
            <Table.Tr key={line.id}>
              <Table.Td>{line.sku}</Table.Td>
              <Table.Td ta="end">{formatQuantity(line.open)}</Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`Counted ${line.sku}`}
                  min={0}
                  allowDecimal={false}
                  value={counted}
                  onChange={(value) => onCount(line.id, typeof value === 'number' ? value : 0)}
                  error={
                    counted > line.open
                      ? `${formatQuantity(counted - line.open)} more than open`
                      : undefined
                  }
                  w="10rem"
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
