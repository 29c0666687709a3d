import { Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorPanel } from '../../components';
import { ChannelForm } from './channel-form';
import { useChannels, useLocations } from './channel-options';
import { LocationForm } from './location-form';
import type { Channel, Location } from './types';

/** What is being edited in the dialog: nothing, a new one, or an existing one. */
type Editing<T> = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; value: T };

/** Locations and the channels that sell from them: list, create, edit what the API allows. */
export function CatalogueSection() {
  return (
    <Stack gap="xl">
      <LocationsPart />
      <ChannelsPart />
    </Stack>
  );
}

function LocationsPart() {
  const locations = useLocations();
  const [editing, setEditing] = useState<Editing<Location>>({ kind: 'none' });
  const close = () => setEditing({ kind: 'none' });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Locations
        </Title>
        <Button onClick={() => setEditing({ kind: 'new' })}>New location</Button>
      </Group>
      {locations.error ? (
        <ErrorPanel title="Locations could not be loaded" error={locations.error} />
      ) : !locations.data ? (
        <Text c="gray.7">Loading…</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Code</Table.Th>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Time zone</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {locations.data.items.map((l) => (
              <Table.Tr key={l.code}>
                <Table.Td>{l.code}</Table.Td>
                <Table.Td>{l.name}</Table.Td>
                <Table.Td>{l.kind}</Table.Td>
                <Table.Td>{l.timeZone}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setEditing({ kind: 'edit', value: l })}
                    aria-label={`Edit location ${l.code}`}
                  >
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={editing.kind !== 'none'}
        onClose={close}
        title={editing.kind === 'edit' ? `Edit location ${editing.value.code}` : 'New location'}
      >
        {editing.kind !== 'none' && (
          <LocationForm
            location={editing.kind === 'edit' ? editing.value : undefined}
            onDone={close}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ChannelsPart() {
  const channels = useChannels();
  const [editing, setEditing] = useState<Editing<Channel>>({ kind: 'none' });
  const close = () => setEditing({ kind: 'none' });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Channels
        </Title>
        <Button onClick={() => setEditing({ kind: 'new' })}>New channel</Button>
      </Group>
      {channels.error ? (
        <ErrorPanel title="Channels could not be loaded" error={channels.error} />
      ) : !channels.data ? (
        <Text c="gray.7">Loading…</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Code</Table.Th>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Locations, in order</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.data.items.map((c) => (
              <Table.Tr key={c.code}>
                <Table.Td>{c.code}</Table.Td>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.kind}</Table.Td>
                <Table.Td>{c.locations.join(' → ')}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setEditing({ kind: 'edit', value: c })}
                    aria-label={`Edit channel ${c.code}`}
                  >
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={editing.kind !== 'none'}
        onClose={close}
        title={editing.kind === 'edit' ? `Edit channel ${editing.value.code}` : 'New channel'}
      >
        {editing.kind !== 'none' && (
          <ChannelForm
            channel={editing.kind === 'edit' ? editing.value : undefined}
            onDone={close}
          />
        )}
      </Modal>
    </Stack>
  );
}
