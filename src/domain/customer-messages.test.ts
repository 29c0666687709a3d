import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerMessagesFor, type OrderContact } from './customer-messages.js';

const order = (preferredChannel: 'email' | 'sms' | 'none' = 'email'): OrderContact => ({
  orderId: 7,
  reference: 'WEB-7',
  channel: 'web',
  channelKind: 'online',
  customer: { id: 3, name: 'Ann', email: 'ann@example.test', phone: null, preferredChannel },
});

const plan = (type: string, payload: object, id = 100, contact = order()) =>
  customerMessagesFor({ id, type, payload }, contact).map((m) => [m.kind, m.dedupeKey]);

describe('customerMessagesFor', () => {
  it('confirms a backorder once per order', () => {
    const lines = [{ sku: 'KET', backordered: 2, promisedDate: '2026-12-06' }];
    assert.deepEqual(plan('order.backordered', { lines }), [
      ['backorder_confirmed', 'order:7:backorder_confirmed'],
    ]);
    assert.deepEqual(
      plan('order.backordered', { lines }, 101),
      plan('order.backordered', { lines }),
    );
  });

  it('names each re-promise by its recorded change, and its kind by the direction', () => {
    const cases = [
      ['later', 'delay'],
      ['earlier', 'earlier_date'],
      ['unpromised', 'unpromised'],
      ['promised', 'promised'],
    ] as const;
    for (const [direction, kind] of cases) {
      assert.deepEqual(plan('order_line.repromised', { direction, promiseChangeId: 41 }), [
        [kind, 'promise_change:41'],
      ]);
    }
  });

  it('says nothing when only the confidence of a date changed', () => {
    assert.deepEqual(
      plan('order_line.repromised', { direction: 'confidence', promiseChangeId: 41 }),
      [],
    );
  });

  it('keys "ready" by the event, so a line ready a second time is told again', () => {
    assert.deepEqual(plan('order_line.ready', { lineId: 12, filled: 1 }, 500), [
      ['ready', 'order_line:12:ready:500'],
    ]);
    assert.notDeepEqual(
      plan('order_line.ready', { lineId: 12, filled: 1 }, 500),
      plan('order_line.ready', { lineId: 12, filled: 1 }, 640),
    );
  });

  it('keys "shipped" by the fulfilment', () => {
    const payload = { fulfilmentId: 'SHIP-1', lines: [{ sku: 'KET', quantity: 1 }] };
    assert.deepEqual(plan('order.shipped', payload), [
      ['shipped', 'order:7:fulfilment:SHIP-1:shipped'],
    ]);
  });

  it('messages nobody for an order without a customer, or one who asked for none', () => {
    const lines = [{ sku: 'KET', backordered: 1 }];
    assert.deepEqual(plan('order.backordered', { lines }, 1, order('none')), []);
    assert.deepEqual(plan('order.backordered', { lines }, 1, { ...order(), customer: null }), []);
  });

  it('ignores events that are not for customers', () => {
    assert.deepEqual(plan('order.placed', { lines: [] }), []);
    assert.deepEqual(plan('order.cancelled', {}), []);
  });
});
