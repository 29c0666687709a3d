import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { signatureHeader, verifySignature } from './signature.js';

const secret = 'whsec_test-secret';
const body = JSON.stringify({ id: 1, type: 'order.placed', data: { orderId: 7 } });
const t = 1_795_000_000;

describe('webhook signatures', () => {
  it('has the documented form: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    assert.equal(signatureHeader(secret, body, t), `t=${t},v1=${expected}`);
  });

  it('accepts a header made for this body and secret, within the tolerance', () => {
    const header = signatureHeader(secret, body, t);
    assert.equal(verifySignature(secret, body, header, t), true);
    assert.equal(verifySignature(secret, body, header, t + 300), true);
    assert.equal(verifySignature(secret, body, header, t - 300), true);
    // Spaces after the comma, as some HTTP stacks fold headers.
    assert.equal(verifySignature(secret, body, header.replace(',', ', '), t), true);
  });

  it('refuses a changed body, even by one character', () => {
    const header = signatureHeader(secret, body, t);
    assert.equal(verifySignature(secret, body.replace('7', '8'), header, t), false);
    assert.equal(verifySignature(secret, `${body} `, header, t), false);
  });

  it('refuses a signature made with another secret', () => {
    const header = signatureHeader('whsec_other', body, t);
    assert.equal(verifySignature(secret, body, header, t), false);
  });

  it('refuses a stale or future timestamp (a replay)', () => {
    const header = signatureHeader(secret, body, t);
    assert.equal(verifySignature(secret, body, header, t + 301), false);
    assert.equal(verifySignature(secret, body, header, t - 301), false);
    assert.equal(verifySignature(secret, body, header, t + 60, 30), false);
  });

  it('refuses a timestamp swapped into a valid header', () => {
    const header = signatureHeader(secret, body, t);
    const swapped = header.replace(`t=${t}`, `t=${t + 10}`);
    assert.equal(verifySignature(secret, body, swapped, t + 10), false);
  });

  it('refuses malformed headers without throwing', () => {
    const v1 = signatureHeader(secret, body, t).split('v1=')[1]!;
    for (const header of [
      '',
      'garbage',
      `v1=${v1}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=abc,v1=${v1}`,
      `t=${t}.5,v1=${v1}`,
      `t=${t},v1=${v1.slice(0, -2)}`,
      `t=${t},v1=not-hex`,
      `t=${t};v1=${v1}`,
    ]) {
      assert.equal(verifySignature(secret, body, header, t), false, header);
    }
  });

  it('refuses a valid signature followed by junk', () => {
    const header = `${signatureHeader(secret, body, t)}zz`;
    assert.equal(verifySignature(secret, body, header, t), false);
  });
});
