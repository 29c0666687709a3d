import { Button, Group, Modal, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { ErrorPanel, formatDateTime } from '../../components';
import { kindTitle, TRANSPORT_LABELS } from './labels';
import { MessageStateBadge } from './state-badge';
import type { Message, MessageDetail } from './types';
import { useRetryMessage } from './use-retry';

/** One message as it went out (or will): its words, its recipient in full and every attempt. */
export function MessageDetailModal({ id, onClose }: { id: number; onClose(): void }) {
  const retry = useRetryMessage();
  const detail = useQuery({
    queryKey: apiKey('/v1/messages/{id}', { id }),
    queryFn: () => unwrap(api.GET('/v1/messages/{id}', { params: { path: { id } } })),
    refetchInterval: 5000,
  });
  const message = detail.data;
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened
      onClose={onClose}
      title={`Message ${id}`}
      size="xl"
    >
      {detail.error ? (
        <ErrorPanel title="The message could not be loaded" error={detail.error} />
      ) : !message ? (
        <Text c="gray.7">Loading…</Text>
      ) : (
        <Stack gap="md">
          <Group justify="space-between">
            <Group gap="xs">
              <Text fw={600}>{kindTitle(message.template)}</Text>
              <MessageStateBadge state={message.state} />
            </Group>
            {message.state === 'dead' && (
              <Button onClick={() => retry.mutate(message.id)} loading={retry.isPending}>
                Retry
              </Button>
            )}
          </Group>
          <Facts message={message} />
          <RenderedContent message={message} />
          <AttemptLog attempts={message.attemptLog} />
        </Stack>
      )}
    </Modal>
  );
}

function Facts({ message }: { message: Message }) {
  const facts: [string, string][] = [
    ['Channel', TRANSPORT_LABELS[message.transport]],
    ['Recipient', message.recipient],
    ['Attempts', String(message.attempts)],
    ['Created', formatDateTime(message.createdAt)],
    ['Next attempt', formatDateTime(message.nextAttemptAt)],
    [
      'Sent',
      message.sentAt ? `${formatDateTime(message.sentAt)} via ${message.deliveredVia ?? '?'}` : '—',
    ],
    ['Last error', message.lastError ?? '—'],
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" component="dl">
      {facts.map(([term, value]) => (
        <div key={term}>
          <Text component="dt" size="xs" c="gray.7">
            {term}
          </Text>
          <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
            {value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

/**
 * What the customer got. A message is rendered at its first attempt; before that there is
 * nothing to show but its data. The HTML goes in a sandboxed frame: it is a customer
 * email, and must neither run anything nor pick up the app's styles.
 */
function RenderedContent({ message }: { message: Message }) {
  if (message.transport === 'webhook') {
    return (
      <Stack gap={4}>
        <Title order={3} size="h5">
          Payload
        </Title>
        <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {JSON.stringify(message.data, null, 2)}
        </pre>
      </Stack>
    );
  }
  if (message.subject === null && message.text === null) {
    return <Text c="gray.7">Not rendered yet: it is rendered at its first attempt.</Text>;
  }
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Content
      </Title>
      {message.subject && (
        <Text>
          <Text span fw={600}>
            Subject:
          </Text>{' '}
          {message.subject}
        </Text>
      )}
      {message.text && (
        <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontFamily: 'inherit' }}>
          {message.text}
        </pre>
      )}
      {message.html && (
        <iframe
          title={`HTML version of message ${message.id}`}
          sandbox=""
          srcDoc={message.html}
          style={{ width: '100%', height: 280, border: '1px solid var(--mantine-color-gray-4)' }}
        />
      )}
    </Stack>
  );
}

function AttemptLog({ attempts }: { attempts: MessageDetail['attemptLog'] }) {
  if (attempts.length === 0) return <Text c="gray.7">No attempt yet.</Text>;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        Attempts
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Via</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
            <Table.Th scope="col">Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attempts.map((a) => (
            <Table.Tr key={a.attempt}>
              <Table.Td>{a.attempt}</Table.Td>
              <Table.Td>{formatDateTime(a.startedAt)}</Table.Td>
              <Table.Td>{a.via}</Table.Td>
              <Table.Td>{a.outcome}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{a.detail ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
