import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  nextState,
  OPEN_STATES,
  type PurchaseOrderAction,
  type PurchaseOrderState,
  RECEIVABLE_STATES,
  stateAfterLines,
  statesAllowing,
} from './purchase-order-lifecycle.js';

const STATES: PurchaseOrderState[] = [
  'draft',
  'sent',
  'confirmed',
  'partially_received',
  'received',
  'cancelled',
];
const ACTIONS: PurchaseOrderAction[] = ['send', 'confirm', 'cancel'];

/** Every (state, action) pair and where it leads; null = refused. */
const TABLE: Record<PurchaseOrderState, Record<PurchaseOrderAction, PurchaseOrderState | null>> = {
  draft: { send: 'sent', confirm: null, cancel: 'cancelled' },
  sent: { send: null, confirm: 'confirmed', cancel: 'cancelled' },
  confirmed: { send: null, confirm: null, cancel: 'cancelled' },
  // Part of it has arrived: the open lines are closed short instead.
  partially_received: { send: null, confirm: null, cancel: null },
  received: { send: null, confirm: null, cancel: null },
  cancelled: { send: null, confirm: null, cancel: null },
};

describe('nextState', () => {
  for (const state of STATES) {
    for (const action of ACTIONS) {
      const expected = TABLE[state][action];
      it(`${state} + ${action} → ${expected ?? 'refused'}`, () => {
        assert.equal(nextState(state, action), expected);
      });
    }
  }

  it('never leaves received or cancelled', () => {
    for (const state of ['received', 'cancelled'] as const) {
      for (const action of ACTIONS) assert.equal(nextState(state, action), null, action);
    }
  });
});

describe('statesAllowing', () => {
  const cases: [PurchaseOrderAction, PurchaseOrderState[]][] = [
    ['send', ['draft']],
    ['confirm', ['sent']],
    ['cancel', ['draft', 'sent', 'confirmed']],
  ];
  for (const [action, expected] of cases) {
    it(`${action} is allowed from ${expected.join(', ')}`, () => {
      assert.deepEqual([...statesAllowing(action)].sort(), [...expected].sort());
    });
  }

  it('agrees with nextState for every pair', () => {
    for (const action of ACTIONS) {
      const allowed = new Set(statesAllowing(action));
      for (const state of STATES) {
        assert.equal(allowed.has(state), nextState(state, action) !== null, `${state} ${action}`);
      }
    }
  });
});

describe('receivable and open states', () => {
  it('receives only sent, confirmed and partially received orders', () => {
    assert.deepEqual([...RECEIVABLE_STATES].sort(), ['confirmed', 'partially_received', 'sent']);
  });

  it('counts the same orders as incoming supply: a draft is not a commitment', () => {
    assert.deepEqual([...OPEN_STATES].sort(), [...RECEIVABLE_STATES].sort());
    assert.ok(!OPEN_STATES.includes('draft'));
  });
});

describe('stateAfterLines', () => {
  interface Case {
    name: string;
    state: PurchaseOrderState;
    lines: { open: number; received: number }[];
    expected: PurchaseOrderState;
  }
  const cases: Case[] = [
    {
      name: 'nothing open, something received → received',
      state: 'sent',
      lines: [{ open: 0, received: 5 }],
      expected: 'received',
    },
    {
      name: 'nothing open, received on one line, the other closed short with nothing → received',
      state: 'partially_received',
      lines: [
        { open: 0, received: 3 },
        { open: 0, received: 0 },
      ],
      expected: 'received',
    },
    {
      name: 'nothing open, over-received → received',
      state: 'confirmed',
      lines: [{ open: 0, received: 12 }],
      expected: 'received',
    },
    {
      name: 'nothing open, nothing received (every line closed short) → cancelled',
      state: 'sent',
      lines: [
        { open: 0, received: 0 },
        { open: 0, received: 0 },
      ],
      expected: 'cancelled',
    },
    {
      name: 'nothing open, nothing received, from confirmed → cancelled',
      state: 'confirmed',
      lines: [{ open: 0, received: 0 }],
      expected: 'cancelled',
    },
    {
      name: 'open and received on the same line → partially_received',
      state: 'sent',
      lines: [{ open: 2, received: 3 }],
      expected: 'partially_received',
    },
    {
      name: 'open on one line, received on another → partially_received',
      state: 'confirmed',
      lines: [
        { open: 4, received: 0 },
        { open: 0, received: 6 },
      ],
      expected: 'partially_received',
    },
    {
      name: 'already partially received and still so → partially_received',
      state: 'partially_received',
      lines: [{ open: 1, received: 1 }],
      expected: 'partially_received',
    },
    {
      name: 'open, nothing received, sent → unchanged (sent)',
      state: 'sent',
      lines: [{ open: 10, received: 0 }],
      expected: 'sent',
    },
    {
      name: 'open, nothing received, confirmed → unchanged (confirmed)',
      state: 'confirmed',
      lines: [
        { open: 10, received: 0 },
        { open: 0, received: 0 },
      ],
      expected: 'confirmed',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(stateAfterLines(c.state, c.lines), c.expected);
    });
  }
});
