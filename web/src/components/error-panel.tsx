import { Alert, Button, Stack, Text } from '@mantine/core';
import { ApiError, errorMessage } from '../api/errors';

interface ErrorPanelProps {
  error: unknown;
  /** What failed, as a title ("Stock could not be loaded"). */
  title?: string;
  /** Offers "Try again" (a query's refetch, say). */
  onRetry?: () => void;
}

/** A failed load or action, with the API's own message and code. */
export function ErrorPanel({ error, title = 'Something went wrong', onRetry }: ErrorPanelProps) {
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {error instanceof ApiError && (
          // Dimmed grey on the alert's red tint is 2.7:1, below WCAG AA (axe fails it).
          <Text size="xs" c="red.9">
            {error.status} {error.code}
          </Text>
        )}
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
