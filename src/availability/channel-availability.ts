import type { Db } from '../db/schema.js';
import { type Availability, decideAvailability, type LeadTime } from '../domain/availability.js';
import { chooseLeadTime } from '../domain/promising.js';
import { supplyKey } from '../domain/supply.js';
import { promisableSupply } from '../kernel/supply/incoming-supply.js';
import type { ItemRulesRow } from './availability.repository.js';
import { leadTimePromised, supplierLeadTimes } from './availability.repository.js';
import { rulesOf } from './availability.service.js';
import {
  channelsWithLocations,
  itemRulesByIds,
  stockOfItems,
} from './availability-watcher.repository.js';

/**
 * What a set of items shows for one unit on every channel, with the rules of the
 * availability answers (src/domain/availability.ts) and the same data: stock at the
 * channel's locations, open supply with what earlier backorders hold on it, and the
 * supplier lead time where the policy allows it.
 *
 * Unlike the listings feed this works on a scattered set of items (the ones that
 * changed) and inside the caller's transaction, so its statements name items by id list
 * and run one after the other. A batch costs the same few statements whatever the
 * number of channels: stock and supply are read once for all the channels' locations
 * and split per channel here.
 */

export interface WatchedChannel {
  id: number;
  code: string;
  locations: { id: number; code: string }[];
}

export interface ItemAvailabilities {
  item: ItemRulesRow;
  /** Channel id → the answer for one unit. */
  byChannel: Map<number, Availability>;
}

export async function loadChannels(db: Db): Promise<WatchedChannel[]> {
  const channels = new Map<number, WatchedChannel>();
  for (const row of await channelsWithLocations(db)) {
    let channel = channels.get(row.channel_id);
    if (!channel) {
      channel = { id: row.channel_id, code: row.channel, locations: [] };
      channels.set(row.channel_id, channel);
    }
    if (row.location_id !== null)
      channel.locations.push({ id: row.location_id, code: row.location! });
  }
  return [...channels.values()];
}

/** The lead time each lead_time item's promises may rest on (the rule orders use). */
async function leadTimesOf(db: Db, items: readonly ItemRulesRow[]): Promise<Map<number, LeadTime>> {
  const ids = items.filter((i) => i.backorder_policy === 'lead_time').map((i) => i.id);
  const result = new Map<number, LeadTime>();
  if (ids.length === 0) return result;
  const suppliers = await supplierLeadTimes(db, ids);
  const held = await leadTimePromised(db, ids);
  for (const id of ids) {
    const chosen = chooseLeadTime(
      suppliers
        .filter((s) => s.item_id === id)
        .map((s) => ({
          supplier: s.supplier,
          preferred: s.preferred,
          leadTimeDays: s.lead_time_days,
        })),
    );
    result.set(id, {
      supplier: chosen?.supplier ?? null,
      leadTimeDays: chosen?.leadTimeDays ?? null,
      held: held.get(id) ?? 0,
    });
  }
  return result;
}

/**
 * Answers for the given items (a chunk of a few hundred at most) on every channel.
 * Items that no longer exist are absent.
 */
export async function availabilityOnChannels(
  db: Db,
  itemIds: readonly number[],
  channels: readonly WatchedChannel[],
  today: string,
): Promise<Map<number, ItemAvailabilities>> {
  const result = new Map<number, ItemAvailabilities>();
  const items = await itemRulesByIds(db, itemIds);
  if (items.length === 0) return result;
  const ids = items.map((i) => i.id);
  const locationIds = [...new Set(channels.flatMap((c) => c.locations.map((l) => l.id)))];
  const stockRows = await stockOfItems(db, ids, locationIds);
  const supply = await promisableSupply(db, ids, locationIds);
  const leadTimes = await leadTimesOf(db, items);

  const stockByItem = new Map<number, typeof stockRows>();
  for (const row of stockRows) {
    const list = stockByItem.get(row.item_id);
    if (list) list.push(row);
    else stockByItem.set(row.item_id, [row]);
  }
  for (const item of items) {
    const byChannel = new Map<number, Availability>();
    const itemSupply = supply.get(item.id);
    for (const channel of channels) {
      const codeOf = new Map(channel.locations.map((l) => [l.id, l.code]));
      const codes = new Set(codeOf.values());
      const lines = (itemSupply?.lines ?? []).filter((l) => codes.has(l.location));
      const heldOn = (key: string) => itemSupply?.held.get(key) ?? 0;
      const lead = leadTimes.get(item.id);
      byChannel.set(
        channel.id,
        decideAvailability({
          item: rulesOf(item),
          stock: (stockByItem.get(item.id) ?? [])
            .filter((s) => codeOf.has(s.location_id))
            .map((s) => ({
              location: codeOf.get(s.location_id)!,
              onHand: s.on_hand,
              reserved: s.reserved,
              safetyStock: s.safety_stock,
            })),
          requested: 1,
          today,
          // The totals the listings feed reads with a grouped statement, from the same lines.
          incoming: lines.reduce((sum, l) => sum + l.open, 0),
          nextExpectedDate: lines[0]?.expectedDate ?? null,
          freeIncoming: lines.reduce(
            (sum, l) => sum + Math.max(0, l.open - heldOn(supplyKey(l.source))),
            0,
          ),
          supply: { lines, held: itemSupply?.held ?? new Map() },
          ...(lead !== undefined && { leadTime: lead }),
        }),
      );
    }
    result.set(item.id, { item, byChannel });
  }
  return result;
}
