import { Button, Group, List, Stack, Text } from '@mantine/core';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { EmptyState, formatDateTime } from '../../components';
import type { Message } from './types';

function useRetry() {
  return useApiMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/v1/messages/{id}/retry', { params: { path: { id } }, body: {} })),
    invalidates: ['/v1/messages'],
    successMessage: (message) => `Message ${message.id} will be sent again shortly`,
  });
}

/** Messages every attempt failed for, with Retry: the dispatcher will not try them again alone. */
export function FailingMessages({ messages, shown }: { messages: Message[]; shown: number }) {
  const retry = useRetry();
  if (messages.length === 0) return <EmptyState title="No failed messages" />;
  return (
    <List listStyleType="none" spacing="sm" data-testid="today-failing-messages">
      {messages.slice(0, shown).map((message) => (
        <List.Item key={message.id}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {message.template} to {message.recipient}
              </Text>
              <Text size="xs" c="gray.7">
                {message.attempts} attempts · last {formatDateTime(message.updatedAt)}
              </Text>
              {message.lastError && (
                <Text size="xs" c="red.9">
                  {message.lastError}
                </Text>
              )}
            </Stack>
            <Button
              size="xs"
              variant="outline"
              loading={retry.isPending && retry.variables === message.id}
              onClick={() => retry.mutate(message.id)}
              aria-label={`Retry message ${message.id} to ${message.recipient}`}
            >
              Retry
            </Button>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
