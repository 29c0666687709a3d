import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey, useApiMutation } from '../../api/query';
import { EmptyState, ErrorPanel } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import { SecretOnce } from './secret-once';
import type { Webhook } from './types';
import { WebhookCreateForm } from './webhook-create-form';
import { WebhookDeliveries } from './webhook-deliveries';

/** Webhooks: list, create and rotate (the secret shown once each time), deliveries, delete. */
export function WebhooksSection() {
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [deliveriesOf, setDeliveriesOf] = useState<Webhook>();
  const hooks = useQuery({
    queryKey: apiKey('/v1/webhooks'),
    queryFn: () => unwrap(api.GET('/v1/webhooks', { params: { query: { limit: 500 } } })),
  });
  const rotate = useApiMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: {} })),
    invalidates: ['/v1/webhooks'],
    onSuccess: (hook) => setSecret({ url: hook.url, secret: hook.secret }),
  });
  const setActive = useApiMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) =>
      unwrap(api.PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body: { active } })),
    invalidates: ['/v1/webhooks'],
    successMessage: (hook) =>
      hook.active ? 'Webhook resumed' : 'Webhook paused: no new deliveries',
  });
  const remove = useApiMutation({
    mutationFn: (id: number) =>
      api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } }).then(() => id),
    invalidates: ['/v1/webhooks'],
    successMessage: 'Webhook deleted',
  });
  const actions: HookActions = {
    onRotate: (hook) => {
      if (window.confirm(`Replace the secret of ${hook.url}? The old one stops signing at once.`)) {
        rotate.mutate(hook.id);
      }
    },
    onDelete: (hook) => {
      if (window.confirm(`Delete the webhook to ${hook.url}? Undelivered events are given up.`)) {
        remove.mutate(hook.id);
      }
    },
    onDeliveries: setDeliveriesOf,
    onToggle: (hook) => setActive.mutate({ id: hook.id, active: !hook.active }),
  };

  return (
    <Stack gap="md">
      <WebhookCreateForm onCreated={(url, s) => setSecret({ url, secret: s })} />
      {secret && (
        <SecretOnce
          title={`Signing secret for ${secret.url}`}
          secret={secret.secret}
          onDone={() => setSecret(undefined)}
        />
      )}
      {hooks.error ? (
        <ErrorPanel title="Webhooks could not be loaded" error={hooks.error} />
      ) : !hooks.data ? (
        <Text c="gray.7">Loading webhooks…</Text>
      ) : hooks.data.items.length === 0 ? (
        <EmptyState title="No webhooks">
          Integrators get events pushed once one is created.
        </EmptyState>
      ) : (
        <WebhooksTable rows={hooks.data.items} actions={actions} />
      )}
      {deliveriesOf && (
        <WebhookDeliveries webhook={deliveriesOf} onClose={() => setDeliveriesOf(undefined)} />
      )}
    </Stack>
  );
}

interface HookActions {
  onRotate(hook: Webhook): void;
  onDelete(hook: Webhook): void;
  onDeliveries(hook: Webhook): void;
  onToggle(hook: Webhook): void;
}

function WebhooksTable({ rows, actions }: { rows: Webhook[]; actions: HookActions }) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Webhooks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">URL</Table.Th>
            <Table.Th scope="col">Events</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((hook) => (
            <Table.Tr key={hook.id}>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {hook.url}
                {hook.description && (
                  <Text size="xs" c="gray.7">
                    {hook.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {hook.events.includes('*') ? 'Every event' : hook.events.join(', ')}
              </Table.Td>
              <Table.Td>
                <ToneBadge color={hook.active ? 'green' : 'gray'}>
                  {hook.active ? 'Active' : 'Paused'}
                </ToneBadge>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => actions.onDeliveries(hook)}
                    aria-label={`Deliveries to ${hook.url}`}
                  >
                    Deliveries
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => actions.onToggle(hook)}
                    aria-label={`${hook.active ? 'Pause' : 'Resume'} webhook ${hook.url}`}
                  >
                    {hook.active ? 'Pause' : 'Resume'}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => actions.onRotate(hook)}
                    aria-label={`Rotate the secret of ${hook.url}`}
                  >
                    Rotate secret
                  </Button>
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    onClick={() => actions.onDelete(hook)}
                    aria-label={`Delete webhook ${hook.url}`}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
