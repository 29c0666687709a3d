/**
 * The backorder queue of an item, by job: re-planning promises when supply moves
 * (replan.ts), filling waiting lines when goods arrive (fill-from-arrival.ts), releasing
 * reservations whose units are gone (release-reservations.ts), and pegs (pegs.ts). This
 * file is the queue's face to the capabilities: they import from here, not its parts.
 */
export { addAllocation, takeFromAllocation } from './allocations.repository.js';
export { type Arrival, fillFromArrival } from './fill-from-arrival.js';
export { pegValues, shrinkPeg } from './pegs.js';
export type { QueueChange } from './queue-change.js';
export { releaseReservations } from './release-reservations.js';
export { replanItems, rulesFor } from './replan.js';
