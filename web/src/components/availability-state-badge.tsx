import { Badge, type MantineColor } from '@mantine/core';
import type { components } from '../../../clients/stockroom-api';

export type AvailabilityState = components['schemas']['ItemAvailability']['state'];

const STATES: Record<AvailabilityState, { label: string; color: MantineColor }> = {
  in_stock: { label: 'In stock', color: 'green' },
  low_stock: { label: 'Low stock', color: 'yellow' },
  backorder: { label: 'Backorder', color: 'orange' },
  preorder: { label: 'Preorder', color: 'blue' },
  out_of_stock: { label: 'Out of stock', color: 'red' },
  discontinued: { label: 'Discontinued', color: 'gray' },
};

/**
 * The state in words and colour both: colour alone says nothing to many users. Dark text on
 * the tint, as the light variant's own coloured text fails contrast for yellow and orange.
 */
export function AvailabilityStateBadge({ state }: { state: AvailabilityState }) {
  const { label, color } = STATES[state];
  return (
    <Badge color={color} variant="light" c="dark.7" data-state={state}>
      {label}
    </Badge>
  );
}

export function availabilityStateLabel(state: AvailabilityState): string {
  return STATES[state].label;
}
