import { Modal, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { EmptyState, ErrorPanel, formatDateTime } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import type { Webhook } from './types';

const STATE_COLOURS = { pending: 'yellow', sent: 'green', dead: 'red' } as const;

/** A webhook's latest deliveries; a failed one is retried from Messages (it is in the outbox). */
export function WebhookDeliveries({ webhook, onClose }: { webhook: Webhook; onClose(): void }) {
  const deliveries = useQuery({
    queryKey: apiKey('/v1/webhooks/{id}/deliveries', { id: webhook.id }),
    queryFn: () =>
      unwrap(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhook.id }, query: { limit: 100 } },
        }),
      ),
  });
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title={`Deliveries to ${webhook.url}`}
      size="xl"
    >
      {deliveries.error ? (
        <ErrorPanel title="Deliveries could not be loaded" error={deliveries.error} />
      ) : !deliveries.data ? (
        <Text c="gray.7">Loading…</Text>
      ) : deliveries.data.items.length === 0 ? (
        <EmptyState title="No deliveries yet">
          None of its event types has happened since it was created.
        </EmptyState>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Event</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Attempts</Table.Th>
              <Table.Th scope="col">Last error</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.data.items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.eventType}</Table.Td>
                <Table.Td>
                  <ToneBadge color={STATE_COLOURS[d.state]}>
                    {d.state === 'dead' ? 'failed' : d.state}
                  </ToneBadge>
                </Table.Td>
                <Table.Td>{d.attempts}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{d.lastError ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}
