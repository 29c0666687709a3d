import { NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { apiKey } from '../../api/query';
import { useAuth } from '../../auth/auth-context';
import { ErrorPanel } from '../../components';
import { kindTitle } from './labels';
import { TemplateEditor } from './template-editor';

/** Every message kind's template; pick one to edit it beside its preview. */
export function TemplatesPanel() {
  const { isAdmin } = useAuth();
  const [kind, setKind] = useState<string>();
  const templates = useQuery({
    queryKey: apiKey('/v1/message-templates'),
    queryFn: () => unwrap(api.GET('/v1/message-templates')),
  });
  if (templates.error) {
    return <ErrorPanel title="Templates could not be loaded" error={templates.error} />;
  }
  if (!templates.data) return <Text c="gray.7">Loading templates…</Text>;
  const items = templates.data.items;
  const selected = items.find((t) => t.kind === kind) ?? items[0];
  return (
    <Stack gap="md">
      <NativeSelect
        label="Message kind"
        maw={360}
        value={selected?.kind ?? ''}
        onChange={(event) => setKind(event.currentTarget.value)}
        data={items.map((t) => ({
          value: t.kind,
          label: `${kindTitle(t.kind)}${t.audience === 'staff' ? ' (staff)' : ''}${t.customised ? ' — customised' : ''}`,
        }))}
      />
      {selected && (
        // A new key per kind and per saved version: the draft starts from what is in force.
        <TemplateEditor
          key={`${selected.kind}:${selected.updatedAt ?? 'default'}`}
          template={selected}
          canEdit={isAdmin}
        />
      )}
    </Stack>
  );
}
