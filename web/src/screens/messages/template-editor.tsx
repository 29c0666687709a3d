import { Button, Group, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { formatDateTime } from '../../components';
import { ToneBadge } from '../../components/tone-badge';
import { draftOf, sameDraft, type TemplateDraft } from './template-draft';
import { TemplatePreview } from './template-preview';
import type { MessageTemplate } from './types';

interface TemplateEditorProps {
  template: MessageTemplate;
  /** Staff may read and preview; only an admin saves (the API refuses anyone else). */
  canEdit: boolean;
}

/** The editor beside its live preview. Keyed by kind by its parent, so it starts afresh per kind. */
export function TemplateEditor({ template, canEdit }: TemplateEditorProps) {
  const saved = draftOf(template);
  const [draft, setDraft] = useState<TemplateDraft>(saved);
  const changed = !sameDraft(draft, saved);
  const set = (part: keyof TemplateDraft) => (value: string) =>
    setDraft((current) => ({ ...current, [part]: value }));

  const save = useApiMutation({
    mutationFn: (body: TemplateDraft) =>
      unwrap(
        api.PUT('/v1/message-templates/{kind}', {
          params: { path: { kind: template.kind } },
          body,
        }),
      ),
    invalidates: ['/v1/message-templates'],
    successMessage: 'Template saved: it applies to messages from now on',
  });
  const reset = useApiMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE('/v1/message-templates/{kind}', { params: { path: { kind: template.kind } } }),
      ),
    invalidates: ['/v1/message-templates'],
    successMessage: 'Back to the built-in template',
  });

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Template
          </Title>
          {template.customised ? (
            <ToneBadge color="blue">
              Customised {formatDateTime(template.updatedAt)} by {template.updatedBy}
            </ToneBadge>
          ) : (
            <ToneBadge color="gray">Built-in</ToneBadge>
          )}
        </Group>
        {!canEdit && (
          <Text size="sm" c="gray.7">
            Only an admin can change templates; you can try changes here and see them rendered.
          </Text>
        )}
        <TextInput
          label="Subject"
          value={draft.subject}
          onChange={(e) => set('subject')(e.currentTarget.value)}
        />
        <Textarea
          label="Email text"
          autosize
          minRows={5}
          maxRows={14}
          value={draft.text}
          onChange={(e) => set('text')(e.currentTarget.value)}
        />
        <Textarea
          label="Email HTML"
          autosize
          minRows={5}
          maxRows={14}
          value={draft.html}
          onChange={(e) => set('html')(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Textarea
          label="SMS"
          autosize
          minRows={2}
          value={draft.sms}
          onChange={(e) => set('sms')(e.currentTarget.value)}
        />
        {canEdit && (
          <Group>
            <Button onClick={() => save.mutate(draft)} disabled={!changed} loading={save.isPending}>
              Save template
            </Button>
            <Button variant="default" onClick={() => setDraft(saved)} disabled={!changed}>
              Discard changes
            </Button>
            {template.customised && (
              <Button
                variant="subtle"
                color="red"
                onClick={() => reset.mutate()}
                loading={reset.isPending}
              >
                Restore built-in
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <TemplatePreview kind={template.kind} draft={draft} />
    </SimpleGrid>
  );
}
