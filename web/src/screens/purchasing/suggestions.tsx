import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { apiKey, useApiMutation } from '../../api/query';
import { EmptyState, ErrorPanel } from '../../components';
import type { Suggestion } from './purchasing-api';
import { SuggestionCard } from './suggestion-card';

type State = Suggestion['state'];
const STATES: { value: State; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'ordered', label: 'Ordered' },
  { value: 'dismissed', label: 'Dismissed' },
];
const SUGGESTIONS = ['/v1/replenishment/suggestions'] as const;

/**
 * Replenishment's suggested purchase orders (one per supplier × location): make one a
 * draft purchase order to review and send, or dismiss it.
 */
export function Suggestions() {
  const navigate = useNavigate();
  const [state, setState] = useState<State>('open');
  const query = { state, limit: 200 };
  const list = useQuery({
    queryKey: apiKey('/v1/replenishment/suggestions', query),
    queryFn: () => unwrap(api.GET('/v1/replenishment/suggestions', { params: { query } })),
  });
  const refresh = useApiMutation({
    mutationFn: () => unwrap(api.POST('/v1/replenishment/suggestions/refresh', { body: {} })),
    invalidates: [...SUGGESTIONS],
    successMessage: (r) => `${r.suggestions} suggestions with ${r.lines} lines`,
  });
  const order = useApiMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.POST('/v1/replenishment/suggestions/{id}/purchase-order', {
          params: { path: { id } },
          body: {},
        }),
      ),
    invalidates: [...SUGGESTIONS, '/v1/purchase-orders'],
    successMessage: (po) => `Draft PO ${po.id} created: review and send it`,
    onSuccess: (po) => navigate(`/purchasing/orders/${po.id}`),
  });
  const dismiss = useApiMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.POST('/v1/replenishment/suggestions/{id}/dismiss', {
          params: { path: { id } },
          body: {},
        }),
      ),
    invalidates: [...SUGGESTIONS],
    successMessage: 'Suggestion dismissed',
  });
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Suggested orders</Title>
        <Group align="flex-end">
          <Select
            label="Show"
            data={STATES}
            value={state}
            allowDeselect={false}
            onChange={(value) => value && setState(value as State)}
          />
          <Button variant="default" onClick={() => refresh.mutate()} loading={refresh.isPending}>
            Recompute suggestions
          </Button>
        </Group>
      </Group>
      {list.error && (
        <ErrorPanel
          error={list.error}
          title="Suggestions could not be loaded"
          onRetry={() => list.refetch()}
        />
      )}
      {(order.error ?? dismiss.error) && (
        <ErrorPanel error={order.error ?? dismiss.error} title="Not done" />
      )}
      {list.isPending && <Text>Loading…</Text>}
      {list.data && items.length === 0 && (
        <EmptyState title={`No ${state} suggestions`}>
          {state === 'open' &&
            'Nothing is at or below its reorder point. Recompute after stock moves.'}
        </EmptyState>
      )}
      {items.map((s) => (
        <SuggestionCard
          key={s.id}
          suggestion={s}
          busy={
            (order.isPending && order.variables === s.id) ||
            (dismiss.isPending && dismiss.variables === s.id)
          }
          onOrder={() => order.mutate(s.id)}
          onDismiss={() => dismiss.mutate(s.id)}
          onOpenOrder={(id) => navigate(`/purchasing/orders/${id}`)}
        />
      ))}
    </Stack>
  );
}
