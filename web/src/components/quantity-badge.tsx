import { Badge } from '@mantine/core';
import { formatQuantity } from './format';

interface QuantityBadgeProps {
  value: number;
  /** What the number counts, read by screen readers and shown on hover ("on hand"). */
  label: string;
  /** At or below this the badge warns; zero or less is always red. */
  low?: number;
}

export function QuantityBadge({ value, label, low }: QuantityBadgeProps) {
  const color = value <= 0 ? 'red' : low !== undefined && value <= low ? 'yellow' : 'gray';
  return (
    <Badge
      color={color}
      variant="light"
      c="dark.7"
      title={label}
      aria-label={`${formatQuantity(value)} ${label}`}
    >
      {formatQuantity(value)}
    </Badge>
  );
}
