import type { PreferredChannel } from '../db/tables/orders.js';

export interface Contact {
  email: string | null;
  phone: string | null;
  preferredChannel: PreferredChannel;
}

/**
 * Where a customer's message goes: their preferred channel when they gave that address,
 * else the other one they gave; nowhere when they asked for no messages.
 */
export function routeFor(
  contact: Contact,
): { transport: 'email' | 'sms'; recipient: string } | null {
  if (contact.preferredChannel === 'none') return null;
  const email = contact.email ? { transport: 'email' as const, recipient: contact.email } : null;
  const sms = contact.phone ? { transport: 'sms' as const, recipient: contact.phone } : null;
  return contact.preferredChannel === 'sms' ? (sms ?? email) : (email ?? sms);
}
