import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import type { Location } from './types';

type Kind = Location['kind'];

/** Creates a location, or edits one: its code is its identity and stays as it is. */
export function LocationForm({ location, onDone }: { location?: Location; onDone(): void }) {
  const [code, setCode] = useState(location?.code ?? '');
  const [name, setName] = useState(location?.name ?? '');
  const [kind, setKind] = useState<Kind>(location?.kind ?? 'store');
  const [timeZone, setTimeZone] = useState(
    location?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const save = useApiMutation({
    mutationFn: () =>
      location
        ? unwrap(
            api.PATCH('/v1/locations/{code}', {
              params: { path: { code: location.code } },
              body: { name, kind, timeZone },
            }),
          )
        : unwrap(api.POST('/v1/locations', { body: { code, name, kind, timeZone } })),
    invalidates: ['/v1/locations'],
    successMessage: (saved) => `Location ${saved.code} saved`,
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
        disabled={location !== undefined}
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
          { value: 'store', label: 'Store' },
          { value: 'warehouse', label: 'Warehouse' },
        ]}
      />
      <TextInput
        label="Time zone"
        description="IANA name, e.g. Europe/London: promised dates are local dates there"
        required
        value={timeZone}
        onChange={(e) => setTimeZone(e.currentTarget.value)}
      />
      <Group>
        <Button type="submit" loading={save.isPending}>
          {location ? 'Save location' : 'Create location'}
        </Button>
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}
