import { Button, Group, NativeSelect, Paper, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { useChannels } from './channel-options';

type Role = 'admin' | 'staff' | 'channel';

export function KeyCreateForm({ onCreated }: { onCreated(name: string, key: string): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('channel');
  const [channel, setChannel] = useState('');
  const channels = useChannels();
  const create = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/keys', {
          body: { name, role, ...(role === 'channel' && channel && { channel }) },
        }),
      ),
    invalidates: ['/v1/keys'],
    onSuccess: (created) => {
      onCreated(created.apiKey.name, created.key);
      setName('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-key-title">
      <Title order={3} size="h5" id="new-key-title" mb="sm">
        New API key
      </Title>
      <Group align="flex-end">
        <TextInput
          label="Name"
          description="Who or what uses it"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={100}
        />
        <NativeSelect
          label="Role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
          data={[
            { value: 'channel', label: 'Channel (its own availability and orders)' },
            { value: 'staff', label: 'Staff' },
            { value: 'admin', label: 'Admin' },
          ]}
        />
        {role === 'channel' && (
          <NativeSelect
            label="Channel"
            required
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
            data={[
              { value: '', label: 'Choose…' },
              ...(channels.data?.items ?? []).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
        )}
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
      </Group>
    </Paper>
  );
}
