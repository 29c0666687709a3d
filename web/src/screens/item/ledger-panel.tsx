import { Button, Group, Loader, Table, Text } from '@mantine/core';
import { ErrorPanel, formatDateTime, formatQuantity } from '../../components';
import { useLedger } from './item-queries';
import { Section } from './section';

const TYPES: Record<string, string> = {
  receipt: 'Receipt',
  sale: 'Sale',
  adjustment: 'Adjustment',
  count: 'Count',
  transfer_out: 'Transfer out',
  transfer_in: 'Transfer in',
  return: 'Return',
  damage: 'Damage',
};

/** Every change to on hand, newest first, a page at a time. */
export function LedgerPanel({ sku }: { sku: string }) {
  const ledger = useLedger(sku);
  const entries = ledger.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Section title="Ledger">
      {ledger.isPending ? (
        <Loader size="sm" aria-label="Loading the ledger" />
      ) : ledger.isError ? (
        <ErrorPanel
          error={ledger.error}
          title="The ledger could not be loaded"
          onRetry={() => ledger.refetch()}
        />
      ) : entries.length === 0 ? (
        <Text c="gray.7">No stock movement recorded yet.</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped data-testid="ledger">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Location</Table.Th>
                  <Table.Th scope="col">Type</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Change
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    On hand after
                  </Table.Th>
                  <Table.Th scope="col">Reason</Table.Th>
                  <Table.Th scope="col">Reference</Table.Th>
                  <Table.Th scope="col">By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Table.Tr key={entry.id} data-entry={entry.id}>
                    <Table.Td>{formatDateTime(entry.createdAt)}</Table.Td>
                    <Table.Td>{entry.location}</Table.Td>
                    <Table.Td>{TYPES[entry.type] ?? entry.type}</Table.Td>
                    <Table.Td ta="right" c={entry.quantity < 0 ? 'red.9' : 'teal.9'}>
                      {entry.quantity > 0 ? '+' : ''}
                      {formatQuantity(entry.quantity)}
                    </Table.Td>
                    <Table.Td ta="right">{formatQuantity(entry.onHandAfter)}</Table.Td>
                    <Table.Td>{entry.reason}</Table.Td>
                    <Table.Td>{entry.reference ?? '—'}</Table.Td>
                    <Table.Td>{entry.actor}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {ledger.hasNextPage && (
            <Group justify="center" mt="sm">
              <Button
                variant="light"
                onClick={() => ledger.fetchNextPage()}
                loading={ledger.isFetchingNextPage}
              >
                Show older entries
              </Button>
            </Group>
          )}
        </>
      )}
    </Section>
  );
}
