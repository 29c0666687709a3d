import type { Principal } from './principal.js';

/**
 * Whose orders and customers a caller may use: a channel key only its own channel's,
 * staff and admin keys everyone's (null). Repositories add it to the WHERE clause, so
 * another channel's row is simply not found: the caller gets the very 404 a missing id
 * gets, and cannot tell the two apart.
 */
export type ChannelScope = { channelId: number } | null;

export function channelScopeOf(principal: Principal): ChannelScope {
  if (principal.role !== 'channel') return null;
  // Keys are created with their channel; one without would see nothing (no id is 0).
  return { channelId: principal.channel?.id ?? 0 };
}
