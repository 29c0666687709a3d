import { Loader, Table, Text } from '@mantine/core';
import { ErrorPanel, formatDateTime } from '../../components';
import { useWaitingSubscribers } from './item-queries';
import { Section } from './section';

/** "Notify me" subscribers still waiting for the item, in queue order. */
export function SubscribersPanel({ sku }: { sku: string }) {
  const subscribers = useWaitingSubscribers(sku);
  return (
    <Section title="Subscribers waiting">
      {subscribers.isPending ? (
        <Loader size="sm" aria-label="Loading subscribers" />
      ) : subscribers.isError ? (
        <ErrorPanel
          error={subscribers.error}
          title="Subscribers could not be loaded"
          onRetry={() => subscribers.refetch()}
        />
      ) : subscribers.data.items.length === 0 ? (
        <Text c="gray.7">Nobody is waiting to be told it is back.</Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table data-testid="subscribers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Place</Table.Th>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Channel</Table.Th>
                <Table.Th scope="col">Tell by</Table.Th>
                <Table.Th scope="col">Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {subscribers.data.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.position ?? '—'}</Table.Td>
                  <Table.Th scope="row">{s.name ?? s.contact}</Table.Th>
                  <Table.Td>{s.channel}</Table.Td>
                  <Table.Td>
                    {s.preferredChannel === 'email' ? 'Email' : 'SMS'} ({s.contact})
                  </Table.Td>
                  <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {subscribers.data?.nextCursor && (
        <Text size="sm" mt="xs">
          Showing the first {subscribers.data.items.length}.
        </Text>
      )}
    </Section>
  );
}
