import type { MessagingSettings } from '../kernel/messaging-settings.js';
import { signLink, unsubscribeToken } from '../shared/link-tokens.js';

/** Where a message's links point, and what they carry. */
export interface LinkContext {
  /** Signs the order links; null leaves links unsigned (views built without a database). */
  linkSecret: string | null;
  /** Link expiry counts from here. */
  now: Date;
}

/**
 * Links into the shop. An order is named by the shop's reference (the internal id only
 * when the order has none) and carries a token signed for it that expires after the
 * configured days; line actions are paths under it, so no link has a second query
 * parameter (and no & to be escaped in HTML).
 */
export class LinkMaker {
  constructor(
    private readonly shopUrl: string,
    private readonly context: LinkContext,
    private readonly settings: MessagingSettings,
  ) {}

  order(reference: string, path = ''): string {
    const base = `${this.shopUrl}/orders/${encodeURIComponent(reference)}${path}`;
    if (this.context.linkSecret === null) return base;
    const expiresAt =
      Math.floor(this.context.now.getTime() / 1000) + this.settings.linkTtlDays * 86_400;
    return `${base}?token=${signLink(this.context.linkSecret, 'order', reference, expiresAt)}`;
  }

  item(sku: string): string {
    return `${this.shopUrl}/items/${encodeURIComponent(sku)}`;
  }

  /** The public one-click page of this server (RFC 8058), not the shop's. */
  unsubscribe(subscriptionId: number | null): string | null {
    if (subscriptionId === null || this.context.linkSecret === null) return null;
    return `${this.settings.publicUrl}/v1/unsubscribe/${unsubscribeToken(this.context.linkSecret, subscriptionId)}`;
  }
}

export function lineActionLinks(links: LinkMaker, reference: string, lineId: number) {
  const line = `/lines/${lineId}`;
  return {
    choicesUrl: links.order(reference, line),
    keepWaitingUrl: links.order(reference, `${line}/keep-waiting`),
    alternativesUrl: links.order(reference, `${line}/alternatives`),
    cancelUrl: links.order(reference, `${line}/cancel`),
  };
}

/** An item picture from the configured pattern ({sku} replaced). */
export function imageUrl(pattern: string, sku: string): string {
  return pattern.replace('{sku}', encodeURIComponent(sku));
}
