import { Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { EmptyState, ErrorPanel, formatDateTime } from '../../components';
import { kindTitle, TRANSPORT_LABELS } from './labels';
import { maskRecipient } from './mask';
import { MessageDetailModal } from './message-detail';
import { MessageStateBadge } from './state-badge';
import type { Message, MessageState } from './types';
import { useRetryMessage } from './use-retry';

const STATES: MessageState[] = ['pending', 'sent', 'dead'];
const TRANSPORTS: Message['transport'][] = ['email', 'sms', 'webhook'];
const PAGE = 50;

function stateFrom(value: string | null): MessageState | undefined {
  return STATES.find((s) => s === value);
}

function transportFrom(value: string | null): Message['transport'] | undefined {
  return TRANSPORTS.find((t) => t === value);
}

/** The outbox, newest first, filtered by state and channel (and by alert when one sent us here). */
export function OutboxPanel() {
  const [params, setParams] = useSearchParams();
  const state = stateFrom(params.get('state'));
  const transport = transportFrom(params.get('channel'));
  const alert = Number(params.get('alert')) || undefined;
  const [openId, setOpenId] = useState<number>();
  const retry = useRetryMessage();

  const messages = useInfiniteQuery({
    queryKey: apiKey('/v1/messages', { state, transport, alert }),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/messages', {
          params: {
            query: {
              limit: PAGE,
              ...(state && { state }),
              ...(transport && { transport }),
              ...(alert && { alert }),
              ...(pageParam && { cursor: pageParam }),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // The dispatcher changes states in the background and sends no event for it.
    refetchInterval: 5000,
  });

  const setFilter = (key: string, value: string | undefined) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const rows = messages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="md">
      <Group align="flex-end">
        <NativeSelect
          label="State"
          value={state ?? ''}
          onChange={(event) => setFilter('state', event.currentTarget.value || undefined)}
          data={[
            { value: '', label: 'All' },
            { value: 'pending', label: 'Pending' },
            { value: 'sent', label: 'Sent' },
            { value: 'dead', label: 'Failed' },
          ]}
        />
        <NativeSelect
          label="Channel"
          value={transport ?? ''}
          onChange={(event) => setFilter('channel', event.currentTarget.value || undefined)}
          data={[
            { value: '', label: 'All' },
            ...TRANSPORTS.map((t) => ({ value: t, label: TRANSPORT_LABELS[t] })),
          ]}
        />
        {alert !== undefined && (
          <Button variant="default" onClick={() => setFilter('alert', undefined)}>
            Showing alert {alert}'s emails: show all
          </Button>
        )}
      </Group>
      {messages.error ? (
        <ErrorPanel
          title="The outbox could not be loaded"
          error={messages.error}
          onRetry={() => void messages.refetch()}
        />
      ) : messages.isPending ? (
        <Text c="gray.7">Loading messages…</Text>
      ) : rows.length === 0 ? (
        <EmptyState title="No messages">Nothing in the outbox matches this filter.</EmptyState>
      ) : (
        <OutboxTable
          rows={rows}
          onOpen={setOpenId}
          onRetry={(id) => retry.mutate(id)}
          retrying={retry.isPending ? retry.variables : undefined}
        />
      )}
      {messages.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void messages.fetchNextPage()}
          loading={messages.isFetchingNextPage}
        >
          Load older messages
        </Button>
      )}
      {openId !== undefined && (
        <MessageDetailModal id={openId} onClose={() => setOpenId(undefined)} />
      )}
    </Stack>
  );
}

interface OutboxTableProps {
  rows: Message[];
  onOpen(id: number): void;
  onRetry(id: number): void;
  retrying: number | undefined;
}

function OutboxTable({ rows, onOpen, onRetry, retrying }: OutboxTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover aria-label="Messages, newest first">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Message</Table.Th>
            <Table.Th scope="col">Channel</Table.Th>
            <Table.Th scope="col">Recipient</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Attempts</Table.Th>
            <Table.Th scope="col">Last error</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((m) => (
            <Table.Tr key={m.id} data-testid={`message-${m.id}`}>
              <Table.Td>
                {kindTitle(m.template)}{' '}
                <Text span c="gray.7" size="xs">
                  #{m.id}
                </Text>
              </Table.Td>
              <Table.Td>{TRANSPORT_LABELS[m.transport]}</Table.Td>
              <Table.Td>{maskRecipient(m)}</Table.Td>
              <Table.Td>
                <MessageStateBadge state={m.state} />
              </Table.Td>
              <Table.Td>{m.attempts}</Table.Td>
              <Table.Td maw={260}>
                <Text size="sm" lineClamp={2}>
                  {m.lastError ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => onOpen(m.id)}
                    aria-label={`Details of message ${m.id}`}
                  >
                    Details
                  </Button>
                  {m.state === 'dead' && (
                    <Button
                      size="xs"
                      onClick={() => onRetry(m.id)}
                      loading={retrying === m.id}
                      aria-label={`Retry message ${m.id}`}
                    >
                      Retry
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
