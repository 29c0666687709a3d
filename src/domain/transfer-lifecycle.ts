/**
 * States of a transfer between locations. Immediate moves are 'completed' at once;
 * dispatched ones are in transit until received, in one or several receipts.
 */
export type TransferState = 'completed' | 'in_transit' | 'partially_received' | 'received';

/** States in which units are on their way: they count as incoming at the destination. */
export const OPEN_TRANSFER_STATES = [
  'in_transit',
  'partially_received',
] as const satisfies readonly TransferState[];
