/**
 * Alternatives (DESIGN sections 1 and 5): what to offer when an item cannot be bought.
 * Pure ranking from plain data: which items qualify and in what order. Whether each one
 * can be bought for the channel is the availability rules' business, applied afterwards
 * by src/catalogue/alternatives.service.ts in this order.
 *
 * The order:
 * 1. Staff-set links (item → its alternative): `replacement` before `substitute`, then
 *    in the order the links were made. Links ignore category, tags and price: a person
 *    chose them.
 * 2. Similar items: the same category, at least one tag in common, and a price within
 *    ±30% of the item's price (PRICE_BAND_PERCENT), ranked by the number of shared tags
 *    (most first), then by distance from the item's price (closest first), then by SKU.
 *
 * The item itself never appears, nor does any item twice (a linked item is not repeated
 * as a similar one).
 */

export type LinkKind = 'replacement' | 'substitute';
export type AlternativeReason = LinkKind | 'similar';

/** What ranking needs to know about an item; callers may carry more fields along. */
export interface AlternativeItem {
  id: number;
  sku: string;
  category: string;
  /** Price in minor units, so the price band is exact integer arithmetic. */
  priceCents: number;
  tags: readonly string[];
}

export interface LinkedItem<T extends AlternativeItem> {
  item: T;
  kind: LinkKind;
  /** When the link was made (ISO timestamp); earlier links come first within a kind. */
  createdAt: string;
}

export interface RankedAlternative<T extends AlternativeItem> {
  item: T;
  reason: AlternativeReason;
  /** Tags the alternative has in common with the item, sorted. */
  sharedTags: string[];
}

/** A similar item's price may differ from the item's by at most this share of it. */
export const PRICE_BAND_PERCENT = 30;

/**
 * The inclusive range of prices (cents) within the band around `priceCents`: what a
 * query may use to narrow the candidates before ranking checks withinPriceBand itself.
 */
export function priceBandCents(priceCents: number): { min: number; max: number } {
  return {
    min: Math.ceil((priceCents * (100 - PRICE_BAND_PERCENT)) / 100),
    max: Math.floor((priceCents * (100 + PRICE_BAND_PERCENT)) / 100),
  };
}

/** |candidate − item| ≤ 30% of item, in integers so that 52.00 against 40.00 is in. */
export function withinPriceBand(itemCents: number, candidateCents: number): boolean {
  return 100 * Math.abs(candidateCents - itemCents) <= PRICE_BAND_PERCENT * itemCents;
}

export function sharedTags(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return [...new Set(a)].filter((tag) => other.has(tag)).sort();
}

const KIND_ORDER: Record<LinkKind, number> = { replacement: 0, substitute: 1 };

const bySku = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Links in the order they are offered. Links made in the same instant (one clock tick)
 * fall back to SKU order, since the table keeps no sequence number.
 */
export function compareLinks(
  a: { kind: LinkKind; createdAt: string; sku: string },
  b: { kind: LinkKind; createdAt: string; sku: string },
): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    bySku(a.createdAt, b.createdAt) ||
    bySku(a.sku, b.sku)
  );
}

export interface RankInput<T extends AlternativeItem> {
  item: AlternativeItem;
  links: readonly LinkedItem<T>[];
  /** Possible similar items; those outside category, tags or price band are dropped here. */
  candidates: readonly T[];
}

export function rankAlternatives<T extends AlternativeItem>(
  input: RankInput<T>,
): RankedAlternative<T>[] {
  const { item } = input;
  const seen = new Set<number>([item.id]);

  const linked: RankedAlternative<T>[] = [];
  const links = [...input.links].sort((a, b) =>
    compareLinks(
      { kind: a.kind, createdAt: a.createdAt, sku: a.item.sku },
      { kind: b.kind, createdAt: b.createdAt, sku: b.item.sku },
    ),
  );
  for (const link of links) {
    if (seen.has(link.item.id)) continue;
    seen.add(link.item.id);
    linked.push({
      item: link.item,
      reason: link.kind,
      sharedTags: sharedTags(item.tags, link.item.tags),
    });
  }

  const similar: (RankedAlternative<T> & { distance: number })[] = [];
  for (const candidate of input.candidates) {
    if (seen.has(candidate.id)) continue;
    if (candidate.category !== item.category) continue;
    if (!withinPriceBand(item.priceCents, candidate.priceCents)) continue;
    const shared = sharedTags(item.tags, candidate.tags);
    if (shared.length === 0) continue;
    seen.add(candidate.id);
    similar.push({
      item: candidate,
      reason: 'similar',
      sharedTags: shared,
      distance: Math.abs(candidate.priceCents - item.priceCents),
    });
  }
  similar.sort(
    (a, b) =>
      b.sharedTags.length - a.sharedTags.length ||
      a.distance - b.distance ||
      bySku(a.item.sku, b.item.sku),
  );

  return [...linked, ...similar.map(({ distance: _, ...rest }) => rest)];
}
