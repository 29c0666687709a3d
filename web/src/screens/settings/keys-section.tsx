import { Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey, useApiMutation } from '../../api/query';
import { EmptyState, ErrorPanel, formatDateTime } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import { KeyCreateForm } from './key-create-form';
import { SecretOnce } from './secret-once';
import type { ApiKey } from './types';

/** API keys for integrators: list, create (secret shown once), revoke. */
export function KeysSection() {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const keys = useQuery({
    queryKey: apiKey('/v1/keys', { includeRevoked }),
    queryFn: () =>
      unwrap(api.GET('/v1/keys', { params: { query: { includeRevoked, limit: 500 } } })),
  });
  const revoke = useApiMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/v1/keys/{id}/revoke', { params: { path: { id } } })),
    invalidates: ['/v1/keys'],
    successMessage: (key) => `Key “${key.name}” revoked: it no longer works`,
  });

  return (
    <Stack gap="md">
      <KeyCreateForm onCreated={(name, key) => setCreated({ name, key })} />
      {created && (
        <SecretOnce
          title={`API key for ${created.name}`}
          secret={created.key}
          onDone={() => setCreated(undefined)}
        />
      )}
      <Checkbox
        label="Show revoked keys"
        checked={includeRevoked}
        onChange={(e) => setIncludeRevoked(e.currentTarget.checked)}
      />
      {keys.error ? (
        <ErrorPanel title="API keys could not be loaded" error={keys.error} />
      ) : !keys.data ? (
        <Text c="gray.7">Loading keys…</Text>
      ) : keys.data.items.length === 0 ? (
        <EmptyState title="No API keys" />
      ) : (
        <KeysTable
          rows={keys.data.items}
          onRevoke={(key) => {
            if (window.confirm(`Revoke “${key.name}”? Anything using it stops working at once.`)) {
              revoke.mutate(key.id);
            }
          }}
        />
      )}
    </Stack>
  );
}

function KeysTable({ rows, onRevoke }: { rows: ApiKey[]; onRevoke(key: ApiKey): void }) {
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Prefix</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((key) => (
            <Table.Tr key={key.id}>
              <Table.Td>{key.name}</Table.Td>
              <Table.Td>
                {key.role}
                {key.channel ? ` (${key.channel})` : ''}
              </Table.Td>
              <Table.Td>
                <code>{key.prefix}…</code>
              </Table.Td>
              <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
              <Table.Td>
                {key.revokedAt ? (
                  <ToneBadge color="gray">Revoked {formatDateTime(key.revokedAt)}</ToneBadge>
                ) : (
                  <ToneBadge color="green">Active</ToneBadge>
                )}
              </Table.Td>
              <Table.Td>
                {!key.revokedAt && (
                  <Group gap="xs">
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => onRevoke(key)}
                      aria-label={`Revoke key ${key.name}`}
                    >
                      Revoke
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
