import { Button, Checkbox, MultiSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './event-types';

export function WebhookCreateForm({ onCreated }: { onCreated(url: string, secret: string): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(false);
  const [events, setEvents] = useState<string[]>([]);
  const create = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhooks', {
          body: {
            url,
            events: all ? [ALL_EVENTS] : events,
            ...(description && { description }),
          },
        }),
      ),
    invalidates: ['/v1/webhooks'],
    onSuccess: (created) => {
      onCreated(created.url, created.secret);
      setUrl('');
      setDescription('');
      setEvents([]);
      setAll(false);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-hook-title">
      <Title order={3} size="h5" id="new-hook-title" mb="sm">
        New webhook
      </Title>
      <Stack gap="sm" maw={640}>
        <TextInput
          label="URL"
          description="Where events are POSTed, signed (Standard Webhooks)"
          type="url"
          required
          placeholder="https://example.com/hooks/stockroom"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
        />
        <TextInput
          label="Description"
          description="Who receives it and why"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          maxLength={500}
        />
        <Checkbox
          label="Every event type"
          checked={all}
          onChange={(e) => setAll(e.currentTarget.checked)}
        />
        {!all && (
          <MultiSelect
            label="Event types"
            searchable
            value={events}
            onChange={setEvents}
            data={[...WEBHOOK_EVENT_TYPES]}
          />
        )}
        <div>
          <Button type="submit" loading={create.isPending}>
            Create webhook
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}
