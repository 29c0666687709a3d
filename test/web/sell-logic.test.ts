import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContact } from '../../web/src/screens/sell/contact.js';
import {
  daysUntil,
  expectationSentence,
  howSoon,
  spokenDate,
} from '../../web/src/screens/sell/promise-words.js';
import { actionFor, type KeyPress } from '../../web/src/screens/sell/sell-keys.js';
import { panelFor, type QuotedLine } from '../../web/src/screens/sell/sell-panel.js';

/** The Sell screen's pure decisions: the words read to the customer, panels, contact, keys. */

describe('sell screen: the promised date in words', () => {
  it('reads the day of the week and the month, the year only when it differs', () => {
    assert.equal(spokenDate('2026-12-15', '2026-12-05'), 'Tuesday 15 December');
    assert.equal(spokenDate('2027-01-05', '2026-12-05'), 'Tuesday 5 January 2027');
  });

  it('is the same calendar day whatever the time zone (no UTC shift)', () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      assert.equal(spokenDate('2026-12-15', '2026-12-05'), 'Tuesday 15 December');
    } finally {
      process.env.TZ = before;
    }
  });

  it('says how soon, in days then weeks then months', () => {
    assert.equal(daysUntil('2026-12-15', '2026-12-05'), 10);
    assert.equal(howSoon('2026-12-05', '2026-12-05'), 'today');
    assert.equal(howSoon('2026-12-06', '2026-12-05'), 'tomorrow');
    assert.equal(howSoon('2026-12-15', '2026-12-05'), 'in 10 days');
    assert.equal(howSoon('2026-12-26', '2026-12-05'), 'in 3 weeks');
    assert.equal(howSoon('2027-04-05', '2026-12-05'), 'in about 4 months');
  });

  it('a confirmed date is expected on; an estimate says so', () => {
    assert.equal(
      expectationSentence({ date: '2026-12-15', confidence: 'confirmed' }, '2026-12-05'),
      'We expect it on Tuesday 15 December.',
    );
    assert.equal(
      expectationSentence({ date: '2026-12-15', confidence: 'estimated' }, '2026-12-05'),
      'We expect it around Tuesday 15 December (an estimate).',
    );
  });
});

describe('sell screen: which panel a quote opens', () => {
  const line = (over: Partial<QuotedLine>): QuotedLine => ({
    sku: 'KET',
    quantity: 3,
    outcome: 'in_stock',
    state: 'in_stock',
    reason: '',
    available: 5,
    incoming: 0,
    fromStock: [{ location: 'S1', quantity: 3 }],
    backorder: null,
    ...over,
  });
  const later = { quantity: 2, date: '2026-12-15', confidence: 'confirmed' as const };

  it('in stock: sell now, from where', () => {
    assert.deepEqual(panelFor(line({})), {
      kind: 'sell',
      fromStock: [{ location: 'S1', quantity: 3 }],
    });
  });

  it('a backorder the line did not accept yet is offered, with what goes now', () => {
    const panel = panelFor(
      line({
        outcome: 'refused',
        state: 'backorder',
        available: 1,
        fromStock: [],
        backorder: later,
      }),
    );
    assert.deepEqual(panel, { kind: 'backorder', now: 1, later, preorder: false });
  });

  it('an accepted backorder and a preorder open the backorder panel too', () => {
    assert.equal(
      panelFor(line({ outcome: 'backorder', state: 'backorder', backorder: later })).kind,
      'backorder',
    );
    const pre = panelFor(
      line({ outcome: 'preorder', state: 'preorder', fromStock: [], backorder: later }),
    );
    assert.deepEqual(pre, { kind: 'backorder', now: 0, later, preorder: true });
  });

  it('refused: out of stock, with a headline and the API reason', () => {
    const reason = 'None available for 3 requested; no incoming supply to promise from';
    assert.deepEqual(
      panelFor(
        line({ outcome: 'refused', state: 'out_of_stock', available: 0, fromStock: [], reason }),
      ),
      { kind: 'out', headline: 'Out of stock', reason },
    );
    const short = panelFor(
      line({ outcome: 'refused', state: 'out_of_stock', available: 1, fromStock: [] }),
    );
    assert.equal(short.kind === 'out' && short.headline, 'Only 1 here, not enough for 3');
    const gone = panelFor(
      line({ outcome: 'refused', state: 'discontinued', available: 0, fromStock: [] }),
    );
    assert.equal(gone.kind === 'out' && gone.headline, 'Discontinued: it will not be restocked');
  });
});

describe('sell screen: the customer contact', () => {
  it('an email address is emailed, a phone number texted', () => {
    assert.deepEqual(parseContact(' ann@example.com '), {
      contact: { email: 'ann@example.com', preferredChannel: 'email' },
    });
    assert.deepEqual(parseContact('+44 161 496 0000'), {
      contact: { phone: '+44 161 496 0000', preferredChannel: 'sms' },
    });
  });

  it('says precisely what is wrong', () => {
    assert.deepEqual(parseContact(''), { error: 'Enter an email address or a mobile number' });
    assert.deepEqual(parseContact('ann@example'), { error: 'ann@example is not an email address' });
    assert.deepEqual(parseContact('call me'), {
      error: 'call me is neither an email address nor a phone number',
    });
  });
});

describe('sell screen: keys', () => {
  const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    inField: false,
    ...over,
  });

  it('Escape starts over even from a field; letters never act while typing', () => {
    assert.deepEqual(actionFor(press('Escape', { inField: true }), 'sell', 0), { kind: 'reset' });
    assert.equal(actionFor(press('b', { inField: true }), 'backorder', 0), null);
    assert.equal(actionFor(press('b', { ctrlKey: true }), 'backorder', 0), null);
  });

  it('each panel has its own keys', () => {
    assert.deepEqual(actionFor(press('B'), 'backorder', 0), { kind: 'backorder' });
    assert.equal(actionFor(press('b'), 'out', 0), null);
    assert.deepEqual(actionFor(press('n'), 'out', 2), { kind: 'notify' });
    assert.deepEqual(actionFor(press('2'), 'out', 2), { kind: 'alternative', index: 1 });
    assert.equal(actionFor(press('3'), 'out', 2), null);
    assert.equal(actionFor(press('1'), 'sell', 2), null);
  });
});
