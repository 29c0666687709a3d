import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import type { StaffUser } from './types';

/** Sets a new password for someone who forgot theirs; the API signs them out everywhere. */
export function UserPasswordModal({ user, onClose }: { user: StaffUser; onClose(): void }) {
  const [password, setPassword] = useState('');
  const save = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/users/{id}', { params: { path: { id: user.id } }, body: { password } }),
      ),
    invalidates: ['/v1/users'],
    successMessage: `New password set for ${user.name}`,
    onSuccess: onClose,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={`New password for ${user.name}`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack component="form" onSubmit={submit} gap="sm">
        <PasswordInput
          label="New password"
          required
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          data-autofocus
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Set password
          </Button>
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
