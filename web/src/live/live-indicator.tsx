import { Badge } from '@mantine/core';
import { useLiveStatus } from './live-context';

const LABELS = {
  live: { color: 'green', text: 'Live' },
  connecting: { color: 'gray', text: 'Connecting…' },
  reconnecting: { color: 'orange', text: 'Reconnecting…' },
} as const;

/** The header's connection state: whether what the screens show still updates by itself. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const { color, text } = LABELS[status];
  return (
    <Badge color={color} variant="dot" role="status" aria-live="polite" data-live-status={status}>
      {text}
    </Badge>
  );
}
