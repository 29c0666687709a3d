/**
 * The backorder queue of an item, by job: re-planning promises when supply moves
 * (replan.ts), filling waiting lines when goods arrive (fill-from-arrival.ts), releasing
 * reservations whose units are gone (release-reservations.ts), and pegs (pegs.ts). Kept
 * so callers written against one module go on working; new code imports the job's file.
 */
export { addAllocation } from './allocations.repository.js';
export { type Arrival, fillFromArrival } from './fill-from-arrival.js';
export { pegValues, shrinkPeg } from './pegs.js';
export type { QueueChange } from './queue-change.js';
export { releaseReservations } from './release-reservations.js';
export { replanItems, rulesFor } from './replan.js';
