import { List, Loader, Text } from '@mantine/core';
import { errorMessage } from '../../api/errors';
import { formatDate, formatDateTime } from '../../components';
import { usePromiseChanges } from './item-queries';

/** How one line's promised date moved, oldest first (the API answers per order). */
export function PromiseHistory({ orderId, line }: { orderId: number; line: number }) {
  const changes = usePromiseChanges(orderId, true);
  if (changes.isPending) return <Loader size="xs" aria-label="Loading the promise history" />;
  if (changes.isError)
    return (
      <Text c="red.9" size="sm" role="alert">
        {errorMessage(changes.error)}
      </Text>
    );
  const mine = changes.data.items.filter((change) => change.line === line);
  if (mine.length === 0)
    return <Text size="sm">The first promise still holds: it has not moved.</Text>;
  return (
    <List size="sm" spacing={4}>
      {mine.map((change, index) => (
        // The history only grows at its end, so a position is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <List.Item key={index}>
          {formatDateTime(change.changedAt)}: {formatDate(change.oldDate)}
          {change.oldConfidence ? ` (${change.oldConfidence})` : ''} → {formatDate(change.newDate)}
          {change.newConfidence ? ` (${change.newConfidence})` : ''}, {change.reason}
        </List.Item>
      ))}
    </List>
  );
}
