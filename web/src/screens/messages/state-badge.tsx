import { Badge } from '@mantine/core';
import { STATE_COLOURS, STATE_LABELS } from './labels';
import type { MessageState } from './types';

export function MessageStateBadge({ state }: { state: MessageState }) {
  return (
    <Badge color={STATE_COLOURS[state]} variant="light">
      {STATE_LABELS[state]}
    </Badge>
  );
}
