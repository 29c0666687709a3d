import { Table, Text, Title } from '@mantine/core';
import { ErrorPanel, formatDateTime } from '../../components';
import { usePurchaseOrderHistory } from './purchasing-api';

/** Every change since the order was sent, oldest first, with its reason and who made it. */
export function OrderHistory({ id }: { id: number }) {
  const history = usePurchaseOrderHistory(id);
  return (
    <section aria-labelledby="po-history">
      <Title order={3} id="po-history" mb="xs">
        History
      </Title>
      {history.error && <ErrorPanel error={history.error} title="History could not be loaded" />}
      {history.data && history.data.items.length === 0 && (
        <Text c="gray.7">No changes since it was sent.</Text>
      )}
      {history.data && history.data.items.length > 0 && (
        <Table aria-label={`History of PO ${id}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Line</Table.Th>
              <Table.Th scope="col">Change</Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col">By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.items.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                <Table.Td>{entry.line ?? 'order'}</Table.Td>
                <Table.Td>
                  {entry.field}: {entry.oldValue ?? '—'} → {entry.newValue ?? '—'}
                </Table.Td>
                <Table.Td>{entry.reason ?? '—'}</Table.Td>
                <Table.Td>{entry.actor}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
