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
export function StateBadge({ state }: { state: PurchaseOrderState }) {
  return (
    <Badge color={COLOURS[state]} variant="light">
      {stateLabel(state)}
    </Badge>
  );
}
