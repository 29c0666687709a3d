import type { Message } from './types';

/*
 * The outbox list is on screens staff share with customers at a counter: addresses are
 * masked there and shown whole only in a message's detail, opened on purpose.
 */

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return maskMiddle(address);
  const local = address.slice(0, at);
  return `${local.slice(0, 1)}${'•'.repeat(Math.min(Math.max(local.length - 1, 2), 6))}${address.slice(at)}`;
}

function maskMiddle(value: string): string {
  if (value.length <= 4) return '•'.repeat(value.length);
  const keep = Math.min(3, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}${'•'.repeat(value.length - keep * 2)}${value.slice(-keep)}`;
}

/** A webhook's URL is no one's personal data, but its path may hold a token: the host is enough. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return maskMiddle(url);
  }
}

export function maskRecipient(message: Pick<Message, 'transport' | 'recipient'>): string {
  switch (message.transport) {
    case 'email':
      return maskEmail(message.recipient);
    case 'sms':
      return maskMiddle(message.recipient);
    case 'webhook':
      return hostOf(message.recipient);
  }
}
