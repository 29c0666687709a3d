import { Button, Group, MultiSelect, NativeSelect, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { useLocations } from './channel-options';
import type { Channel } from './types';

type Kind = Channel['kind'];

/** Creates a channel or edits one; its locations are drawn from in the order chosen. */
export function ChannelForm({ channel, onDone }: { channel?: Channel; onDone(): void }) {
  const [code, setCode] = useState(channel?.code ?? '');
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<Kind>(channel?.kind ?? 'online');
  const [locations, setLocations] = useState<string[]>(channel?.locations ?? []);
  const known = useLocations();
  const save = useApiMutation({
    mutationFn: () =>
      channel
        ? unwrap(
            api.PATCH('/v1/channels/{code}', {
              params: { path: { code: channel.code } },
              body: { name, kind, locations },
            }),
          )
        : unwrap(api.POST('/v1/channels', { body: { code, name, kind, locations } })),
    invalidates: ['/v1/channels'],
    successMessage: (saved) => `Channel ${saved.code} saved`,
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm">
      <TextInput
        label="Code"
        description="Letters, digits, - and _; it cannot change later"
        required
        disabled={channel !== undefined}
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
      />
      <TextInput
        label="Name"
        required
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
      />
      <NativeSelect
        label="Kind"
        value={kind}
        onChange={(e) => setKind(e.currentTarget.value as Kind)}
        data={[
          { value: 'pos', label: 'Point of sale' },
          { value: 'online', label: 'Online shop' },
          { value: 'marketplace', label: 'Marketplace' },
        ]}
      />
      <MultiSelect
        label="Locations"
        description="Stock is drawn from them in the order you pick them"
        required
        value={locations}
        onChange={setLocations}
        data={(known.data?.items ?? []).map((l) => ({
          value: l.code,
          label: `${l.name} (${l.code})`,
        }))}
      />
      <Group>
        <Button type="submit" loading={save.isPending}>
          {channel ? 'Save channel' : 'Create channel'}
        </Button>
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
