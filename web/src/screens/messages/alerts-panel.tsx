import { Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { EmptyState, ErrorPanel, formatDateTime } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import { ALERT_KIND_LABELS } from './labels';
import type { Alert, AlertKind } from './types';

type AlertState = 'open' | 'resolved' | 'all';
const KINDS = Object.keys(ALERT_KIND_LABELS) as AlertKind[];

/**
 * Staff alerts. They resolve by themselves when their cause goes away, so what staff do
 * about one is act on its cause: the item, the purchase order, or the emails it sent.
 */
export function AlertsPanel({ onShowEmails }: { onShowEmails(alertId: number): void }) {
  const [state, setState] = useState<AlertState>('open');
  const [kind, setKind] = useState<AlertKind | ''>('');
  const alerts = useInfiniteQuery({
    queryKey: apiKey('/v1/alerts', { state, kind }),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/alerts', {
          params: {
            query: {
              state,
              limit: 50,
              ...(kind && { kind }),
              ...(pageParam && { cursor: pageParam }),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = alerts.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <Group align="flex-end">
        <NativeSelect
          label="Alert state"
          value={state}
          onChange={(event) => setState(event.currentTarget.value as AlertState)}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'All' },
          ]}
        />
        <NativeSelect
          label="Kind"
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as AlertKind | '')}
          data={[
            { value: '', label: 'Every kind' },
            ...KINDS.map((k) => ({ value: k, label: ALERT_KIND_LABELS[k] })),
          ]}
        />
      </Group>
      {alerts.error ? (
        <ErrorPanel
          title="Alerts could not be loaded"
          error={alerts.error}
          onRetry={() => void alerts.refetch()}
        />
      ) : alerts.isPending ? (
        <Text c="gray.7">Loading alerts…</Text>
      ) : rows.length === 0 ? (
        <EmptyState title="No alerts">Nothing matches: no alert of this kind and state.</EmptyState>
      ) : (
        <AlertsTable rows={rows} onShowEmails={onShowEmails} />
      )}
      {alerts.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void alerts.fetchNextPage()}
          loading={alerts.isFetchingNextPage}
        >
          Load older alerts
        </Button>
      )}
    </Stack>
  );
}

function AlertsTable({ rows, onShowEmails }: { rows: Alert[]; onShowEmails(id: number): void }) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Staff alerts, newest first">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Kind</Table.Th>
            <Table.Th scope="col">Alert</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Raised</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((alert) => (
            <Table.Tr key={alert.id}>
              <Table.Td>
                <ToneBadge color={alert.kind === 'low_stock' ? 'yellow' : 'orange'}>
                  {ALERT_KIND_LABELS[alert.kind]}
                </ToneBadge>
              </Table.Td>
              <Table.Td>{alert.message}</Table.Td>
              <Table.Td>
                {alert.resolvedAt ? `Resolved ${formatDateTime(alert.resolvedAt)}` : 'Open'}
              </Table.Td>
              <Table.Td>{formatDateTime(alert.createdAt)}</Table.Td>
              <Table.Td>
                <AlertActions alert={alert} onShowEmails={onShowEmails} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AlertActions({ alert, onShowEmails }: { alert: Alert; onShowEmails(id: number): void }) {
  return (
    <Group gap="xs" wrap="nowrap">
      {alert.sku && (
        <Button
          size="xs"
          variant="default"
          component={Link}
          to={`/items/${encodeURIComponent(alert.sku)}`}
          aria-label={`Open item ${alert.sku}`}
        >
          Item
        </Button>
      )}
      {alert.purchaseOrderId !== undefined && (
        <Button
          size="xs"
          variant="default"
          component={Link}
          to={`/purchasing/orders/${alert.purchaseOrderId}`}
          aria-label={`Open purchase order ${alert.purchaseOrderId}`}
        >
          Purchase order
        </Button>
      )}
      <Button
        size="xs"
        variant="default"
        onClick={() => onShowEmails(alert.id)}
        aria-label={`Emails about alert ${alert.id}`}
      >
        Emails
      </Button>
    </Group>
  );
}
