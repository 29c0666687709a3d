import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EventFilter, matchesFilter, parseEventTypes } from './event-filter.js';

const KNOWN = ['order.placed', 'order.ready', 'po.received', 'availability.changed'];

function filterOf(spec: string, channel: string | null = null): EventFilter {
  const parsed = parseEventTypes(spec, KNOWN);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return { types: parsed.types, channel };
}

describe('parseEventTypes', () => {
  it('takes known names and families, ignoring spaces and empty entries', () => {
    const filter = filterOf(' order.placed, po.*,,');
    assert.ok(matchesFilter({ type: 'order.placed', channel: null }, filter));
    assert.ok(matchesFilter({ type: 'po.received', channel: null }, filter));
    assert.ok(!matchesFilter({ type: 'order.ready', channel: null }, filter));
  });

  it('reads "*" or nothing as every type', () => {
    assert.deepEqual(parseEventTypes('*', KNOWN), { ok: true, types: null });
    assert.deepEqual(parseEventTypes('order.placed,*', KNOWN), { ok: true, types: null });
    assert.deepEqual(parseEventTypes(' , ', KNOWN), { ok: true, types: null });
  });

  it('refuses names and families it does not know, listing each', () => {
    assert.deepEqual(parseEventTypes('order.placed,order.nope,bogus.*,order', KNOWN), {
      ok: false,
      unknown: ['order.nope', 'bogus.*', 'order'],
    });
  });

  it('does not let a family match by a partial word', () => {
    assert.deepEqual(parseEventTypes('ord.*', KNOWN), { ok: false, unknown: ['ord.*'] });
  });
});

describe('matchesFilter', () => {
  it('keeps only the channel asked for, leaving out events of no channel', () => {
    const filter = filterOf('*', 'web');
    assert.ok(matchesFilter({ type: 'order.placed', channel: 'web' }, filter));
    assert.ok(!matchesFilter({ type: 'order.placed', channel: 'pos' }, filter));
    assert.ok(!matchesFilter({ type: 'po.received', channel: null }, filter));
  });

  it('without a channel takes every channel and none', () => {
    const filter = filterOf('order.*');
    assert.ok(matchesFilter({ type: 'order.ready', channel: 'pos' }, filter));
    assert.ok(matchesFilter({ type: 'order.placed', channel: null }, filter));
    assert.ok(!matchesFilter({ type: 'availability.changed', channel: 'pos' }, filter));
  });
});
