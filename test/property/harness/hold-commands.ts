import fc from 'fast-check';
import type { Principal } from '../../../src/access/principal.js';
import { extendHold, releaseHold } from '../../../src/holds/change-hold.js';
import { createHold } from '../../../src/holds/create-hold.js';
import type { AppContext } from '../../../src/kernel/context.js';
import { sweepLapsedHolds } from '../../../src/kernel/holds/release-holds.js';
import { hashRequest } from '../../../src/kernel/idempotency/idempotency.service.js';
import { convertHold } from '../../../src/orders/convert-hold.js';
import { attempt, count, type Reach, settled } from './run.js';

/**
 * Checkout holds (issue 15, item 1) as commands of the orders property: placed, extended,
 * forced to expire (and swept), released and converted, racing the other commands. The
 * invariant they answer to, reserved = allocations + held units, is checked after every
 * batch with the others (harness/promise-invariants.ts).
 */

export type HoldCommand =
  | {
      kind: 'holdPlace';
      channel: number;
      lines: { item: number; quantity: number }[];
      ttl: number;
    }
  | { kind: 'holdExtend'; pick: number; ttl: number }
  | { kind: 'holdExpire'; pick: number; sweep: boolean }
  | { kind: 'holdRelease'; pick: number }
  | { kind: 'holdConvert'; pick: number; twice: boolean };

export function holdCommandArbs(
  items: number,
): { weight: number; arbitrary: fc.Arbitrary<HoldCommand> }[] {
  const pick = fc.nat(20);
  return [
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('holdPlace' as const),
        channel: fc.nat(1),
        lines: fc.array(
          fc.record({ item: fc.nat(items - 1), quantity: fc.integer({ min: 1, max: 4 }) }),
          { minLength: 1, maxLength: 2 },
        ),
        ttl: fc.integer({ min: 60, max: 3600 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('holdExtend' as const),
        pick,
        ttl: fc.integer({ min: 60, max: 3600 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('holdExpire' as const), pick, sweep: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('holdRelease' as const), pick }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('holdConvert' as const),
        pick,
        twice: fc.boolean(),
      }),
    },
  ];
}

export interface HoldWorld {
  ctx: AppContext;
  skus: readonly string[];
  channels: readonly string[];
  principals: readonly Principal[];
}

const ACTOR = 'orders-property';
const NOT_ACTIVE = ['HOLD_EXPIRED', 'HOLD_RELEASED', 'HOLD_CONVERTED'];

/** A principal that sees every channel's holds. */
const staff = (world: HoldWorld) => world.principals.find((p) => p.role !== 'channel')!;

/** The pick-th hold made so far (by id), if any. */
async function pickHold(ctx: AppContext, pick: number): Promise<number | undefined> {
  const rows = await ctx.db.selectFrom('holds').select('id').orderBy('id').execute();
  return rows.length === 0 ? undefined : Number(rows[pick % rows.length]!.id);
}

let keys = 0;

export function planHoldCommand(
  world: HoldWorld,
  command: HoldCommand,
  /** The orders a conversion creates are added to `orders`. */
  reach: Reach & { orders: number[] },
): { what: string; run(): Promise<void> } {
  const { ctx } = world;
  const what = JSON.stringify(command);
  switch (command.kind) {
    case 'holdPlace':
      return {
        what,
        async run() {
          const input = {
            channel: world.channels[command.channel]!,
            lines: command.lines.map((l) => ({ sku: world.skus[l.item]!, quantity: l.quantity })),
            ttlSeconds: command.ttl,
          };
          const result = await attempt(what, reach, ['HOLD_INSUFFICIENT_STOCK'], () =>
            createHold(ctx, input, ACTOR, undefined),
          );
          if (result.ok) count(reach.outcomes, 'hold placed');
        },
      };
    case 'holdExtend':
      return {
        what,
        async run() {
          const id = await pickHold(ctx, command.pick);
          if (id === undefined) return;
          const result = await attempt(what, reach, NOT_ACTIVE, () =>
            extendHold(ctx, id, { ttlSeconds: command.ttl }, ACTOR, null, undefined),
          );
          if (result.ok) count(reach.outcomes, 'hold extended');
        },
      };
    case 'holdExpire':
      return {
        what,
        async run() {
          const id = await pickHold(ctx, command.pick);
          if (id === undefined) return;
          // The clock is shared by the racing commands: the hold's expiry moves instead.
          const past = new Date(ctx.clock.now().getTime() - 1000).toISOString();
          await ctx.db.transaction().execute(async (trx) => {
            await trx.updateTable('holds').set({ expires_at: past }).where('id', '=', id).execute();
            await trx
              .updateTable('hold_lines')
              .set({ expires_at: past })
              .where('hold_id', '=', id)
              .execute();
          });
          count(reach.outcomes, 'hold forced to expire');
          if (command.sweep) {
            await attempt(what, reach, [], () => sweepLapsedHolds(ctx));
            count(reach.outcomes, 'holds swept');
          }
        },
      };
    case 'holdRelease':
      return {
        what,
        async run() {
          const id = await pickHold(ctx, command.pick);
          if (id === undefined) return;
          const result = await attempt(what, reach, NOT_ACTIVE, () =>
            releaseHold(ctx, id, ACTOR, null, undefined),
          );
          if (result.ok) count(reach.outcomes, 'hold released');
        },
      };
    case 'holdConvert':
      return {
        what,
        async run() {
          const id = await pickHold(ctx, command.pick);
          if (id === undefined) return;
          // As over HTTP, under an Idempotency-Key: every order is answered under one.
          // Twice: two checkouts (two keys) race to convert the same hold.
          const principal = staff(world);
          const convert = (n: number) =>
            attempt(what, reach, NOT_ACTIVE, () =>
              convertHold(ctx, id, {}, principal, {
                scope: principal.scope,
                key: `convert-${id}-${++keys}-${n}`,
                requestHash: hashRequest({
                  method: 'POST',
                  route: '/v1/holds/:id/convert',
                  params: { id },
                  body: {},
                }),
              }),
            );
          const results = command.twice
            ? await settled([convert(1), convert(2)])
            : [await convert(1)];
          const converted = results.flatMap((r) => (r.ok ? [r.value] : []));
          if (converted.length > 1) throw new Error(`hold ${id} converted twice: ${what}`);
          for (const order of converted) {
            reach.orders.push(order.id);
            count(reach.outcomes, 'hold converted');
          }
        },
      };
  }
}
