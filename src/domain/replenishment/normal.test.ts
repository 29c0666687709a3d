import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inverseNormalCdf } from './normal.js';

// Reference quantiles to 16 digits (R's qnorm, equally Python's statistics.NormalDist).
const KNOWN: [number, number][] = [
  [0.5, 0],
  [0.9, 1.2815515655446004],
  [0.95, 1.6448536269514722],
  [0.975, 1.959963984540054],
  [0.98, 2.053748910631823],
  [0.99, 2.3263478740408408],
  [0.999, 3.090232306167813],
  [0.02, -2.053748910631823],
  [0.001, -3.090232306167813],
  [1e-9, -5.997807015007687],
];

describe('inverseNormalCdf (Acklam)', () => {
  it('matches known quantiles to a relative error below 1.15e-9, both tails and the centre', () => {
    for (const [p, z] of KNOWN) {
      const got = inverseNormalCdf(p);
      assert.ok(
        Math.abs(got - z) <= 1.15e-9 * Math.max(1, Math.abs(z)),
        `z(${p}) = ${got}, want ${z}`,
      );
    }
  });

  it('is antisymmetric around one half', () => {
    for (const p of [0.01, 0.2, 0.3, 0.4999]) {
      assert.ok(Math.abs(inverseNormalCdf(p) + inverseNormalCdf(1 - p)) < 1e-12);
    }
  });

  it('refuses probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN])
      assert.throws(() => inverseNormalCdf(p), RangeError);
  });
});
