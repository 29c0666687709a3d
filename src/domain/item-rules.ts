/**
 * The words the availability, promising and supply rules share. Kept apart so that those
 * three modules depend on this one and not on each other in a circle.
 */

/** How an item may be sold when no stock is free: never, against incoming supply, or by lead time. */
export type BackorderPolicy = 'none' | 'incoming' | 'lead_time';

/** Whether a supplier has confirmed a date, or Stockroom estimated it. */
export type Confidence = 'confirmed' | 'estimated';
