import { Badge } from '@mantine/core';
import { type PurchaseOrderState, stateLabel } from './purchasing-api';

const COLOURS: Record<PurchaseOrderState, string> = {
  draft: 'gray',
  sent: 'blue',
  confirmed: 'indigo',
  partially_received: 'yellow',
  received: 'green',
  cancelled: 'red',
};

/** The order's state in words (colour is never the only cue). */
export function StateBadge({ state, testId }: { state: PurchaseOrderState; testId?: string }) {
  return (
    <Badge color={COLOURS[state]} variant="light" c="dark.7" data-testid={testId}>
      {stateLabel(state)}
    </Badge>
  );
}
