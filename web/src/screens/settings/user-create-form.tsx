import { Button, Group, NativeSelect, Paper, PasswordInput, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import type { StaffRole } from './types';

interface UserCreateFormProps {
  /** `password` is set when the server generated one: it is shown only once. */
  onCreated(email: string, password: string | undefined): void;
}

export function UserCreateForm({ onCreated }: UserCreateFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const [password, setPassword] = useState('');
  const create = useApiMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/users', { body: { name, email, role, ...(password && { password }) } })),
    invalidates: ['/v1/users'],
    successMessage: (created) => `${created.user.name} can now sign in`,
    onSuccess: (created) => {
      onCreated(created.user.email, created.password);
      setName('');
      setEmail('');
      setPassword('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-user-title">
      <Title order={3} size="h5" id="new-user-title" mb="sm">
        New user
      </Title>
      <Group align="flex-end">
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <NativeSelect
          label="Role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as StaffRole)}
          data={[
            { value: 'staff', label: 'Staff' },
            { value: 'admin', label: 'Admin' },
          ]}
        />
        <PasswordInput
          label="Initial password"
          description="Left empty, one is generated and shown once"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoComplete="new-password"
        />
        <Button type="submit" loading={create.isPending}>
          Create user
        </Button>
      </Group>
    </Paper>
  );
}
