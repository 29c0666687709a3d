import { Alert, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { apiKey } from '../../api/query';
import type { TemplateDraft } from './template-draft';

/** Past this an SMS goes as three or more parts (docs/api.md: keep it under 320). */
const SMS_LIMIT = 320;

/**
 * The draft rendered by the server with the kind's sample data, as it would go out. Asked
 * again 400 ms after typing stops, keeping the last good rendering on screen meanwhile.
 */
/** The tint's own title colour is under 4.5:1 on its background (axe color-contrast). */
const ALERT_TITLE = { title: { color: 'var(--mantine-color-text)' } };

export function TemplatePreview({ kind, draft }: { kind: string; draft: TemplateDraft }) {
  const [debounced] = useDebouncedValue(draft, 400);
  const preview = useQuery({
    queryKey: apiKey('/v1/message-templates/{kind}/preview', { kind, draft: debounced }),
    queryFn: () =>
      unwrap(
        api.POST('/v1/message-templates/{kind}/preview', {
          params: { path: { kind } },
          body: { template: debounced },
        }),
      ),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const rendered = preview.data;
  return (
    <Stack gap="xs" aria-busy={preview.isFetching} data-testid="template-preview">
      <Title order={3} size="h4">
        Preview
      </Title>
      <Text size="xs" c="gray.7">
        Rendered with sample data; updates as you type.
      </Text>
      {preview.error && (
        <Alert styles={ALERT_TITLE} color="red" title="This draft cannot be rendered" role="alert">
          {errorMessage(preview.error)}
        </Alert>
      )}
      {rendered && (
        <>
          <Text>
            <Text span fw={600}>
              Subject:
            </Text>{' '}
            <span data-testid="preview-subject">{rendered.subject}</span>
          </Text>
          <pre
            data-testid="preview-text"
            style={{ whiteSpace: 'pre-wrap', margin: 0, fontFamily: 'inherit' }}
          >
            {rendered.text}
          </pre>
          <iframe
            title="HTML email preview"
            sandbox=""
            srcDoc={rendered.html}
            style={{ width: '100%', height: 240, border: '1px solid var(--mantine-color-gray-4)' }}
          />
          <Text size="sm">
            <Text span fw={600}>
              SMS ({rendered.sms.length} characters
              {rendered.sms.length > SMS_LIMIT ? ', too long' : ''}):
            </Text>{' '}
            <span data-testid="preview-sms">{rendered.sms}</span>
          </Text>
        </>
      )}
    </Stack>
  );
}
