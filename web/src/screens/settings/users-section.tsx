import { Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey, useApiMutation } from '../../api/query';
import { useAuth } from '../../auth/auth-context';
import { EmptyState, ErrorPanel, formatDateTime } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import { SecretOnce } from './secret-once';
import type { StaffRole, StaffUser } from './types';
import { UserCreateForm } from './user-create-form';
import { UserPasswordModal } from './user-password';

type UserChange = { id: number; role?: StaffRole; disabled?: boolean };

/** People who sign in to the staff app: create with a role, change the role, disable. */
export function UsersSection() {
  const [generated, setGenerated] = useState<{ email: string; password: string }>();
  const [passwordFor, setPasswordFor] = useState<StaffUser>();
  const users = useQuery({
    queryKey: apiKey('/v1/users'),
    queryFn: () => unwrap(api.GET('/v1/users', { params: { query: { limit: 500 } } })),
  });
  const change = useApiMutation({
    mutationFn: ({ id, ...body }: UserChange) =>
      unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body })),
    invalidates: ['/v1/users'],
    successMessage: (user) =>
      user.disabledAt ? `${user.name} is disabled and signed out` : `${user.name} saved`,
  });

  return (
    <Stack gap="md">
      <UserCreateForm
        onCreated={(email, password) => password && setGenerated({ email, password })}
      />
      {generated && (
        <SecretOnce
          title={`Initial password for ${generated.email}`}
          secret={generated.password}
          onDone={() => setGenerated(undefined)}
        />
      )}
      {users.error ? (
        <ErrorPanel title="Users could not be loaded" error={users.error} />
      ) : !users.data ? (
        <Text c="gray.7">Loading users…</Text>
      ) : users.data.items.length === 0 ? (
        <EmptyState title="No users" />
      ) : (
        <UsersTable
          rows={users.data.items}
          onChange={(c) => change.mutate(c)}
          onSetPassword={setPasswordFor}
        />
      )}
      {passwordFor && (
        <UserPasswordModal user={passwordFor} onClose={() => setPasswordFor(undefined)} />
      )}
    </Stack>
  );
}

interface UsersTableProps {
  rows: StaffUser[];
  onChange(change: UserChange): void;
  onSetPassword(user: StaffUser): void;
}

function UsersTable({ rows, onChange, onSetPassword }: UsersTableProps) {
  const { user: me } = useAuth();
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped aria-label="Staff users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Email</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Last sign-in</Table.Th>
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((user) => {
            // Changing one's own role or disabling oneself would lock the admin out mid-task.
            const self = me !== undefined && String(me.id) === String(user.id);
            return (
              <Table.Tr key={user.id}>
                <Table.Td>{user.name}</Table.Td>
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>
                  <NativeSelect
                    aria-label={`Role of ${user.name}`}
                    size="xs"
                    disabled={self}
                    value={user.role}
                    onChange={(e) =>
                      onChange({ id: user.id, role: e.currentTarget.value as StaffRole })
                    }
                    data={[
                      { value: 'staff', label: 'Staff' },
                      { value: 'admin', label: 'Admin' },
                    ]}
                  />
                </Table.Td>
                <Table.Td>
                  {user.disabledAt ? (
                    <ToneBadge color="gray">Disabled {formatDateTime(user.disabledAt)}</ToneBadge>
                  ) : (
                    <ToneBadge color="green">Active</ToneBadge>
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(user.lastSignInAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => onSetPassword(user)}
                      aria-label={`Set a new password for ${user.name}`}
                    >
                      Password
                    </Button>
                    {!self && (
                      <Button
                        size="xs"
                        // Light green text fails contrast (3.8:1); the default variant does not.
                        variant={user.disabledAt ? 'default' : 'light'}
                        color={user.disabledAt ? undefined : 'red'}
                        onClick={() => onChange({ id: user.id, disabled: !user.disabledAt })}
                        aria-label={`${user.disabledAt ? 'Enable' : 'Disable'} ${user.name}`}
                      >
                        {user.disabledAt ? 'Enable' : 'Disable'}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
