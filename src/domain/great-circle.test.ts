import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type GeoPoint, greatCircleKm } from './great-circle.js';

const near = (actual: number, expected: number, tolerance: number) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

const point = fc.record({
  latitude: fc.double({ min: -90, max: 90, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('great-circle distance', () => {
  const london = { latitude: 51.5074, longitude: -0.1278 };
  const paris = { latitude: 48.8566, longitude: 2.3522 };
  const sydney = { latitude: -33.8688, longitude: 151.2093 };

  const cases: [string, GeoPoint, GeoPoint, number, number][] = [
    ['London to Paris', london, paris, 343.9, 1],
    ['London to Sydney', london, sydney, 16_994, 20],
    [
      'one degree of longitude on the equator',
      { latitude: 0, longitude: 0 },
      { latitude: 0, longitude: 1 },
      111.195,
      0.01,
    ],
    [
      'pole to pole',
      { latitude: 90, longitude: 0 },
      { latitude: -90, longitude: 0 },
      20_015.1,
      0.1,
    ],
    [
      'across the date line',
      { latitude: 0, longitude: 179.5 },
      { latitude: 0, longitude: -179.5 },
      111.195,
      0.01,
    ],
    [
      'ten metres apart',
      { latitude: 51.5, longitude: 0 },
      { latitude: 51.50009, longitude: 0 },
      0.01,
      0.0001,
    ],
  ];
  for (const [name, a, b, km, tolerance] of cases) {
    it(name, () => near(greatCircleKm(a, b), km, tolerance));
  }

  it('is zero from a point to itself, symmetric, and never more than half the circumference', () => {
    fc.assert(
      fc.property(point, point, (a, b) => {
        near(greatCircleKm(a, a), 0, 1e-9);
        near(greatCircleKm(a, b), greatCircleKm(b, a), 1e-6);
        const d = greatCircleKm(a, b);
        assert.ok(d >= 0 && d <= Math.PI * 6371.0088 + 1e-6, `distance ${d}`);
      }),
    );
  });

  it('obeys the triangle inequality', () => {
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        assert.ok(greatCircleKm(a, c) <= greatCircleKm(a, b) + greatCircleKm(b, c) + 1e-6);
      }),
      {
        // Nearly antipodal: the haversine was off by 4 mm here.
        examples: [
          [
            { latitude: 0, longitude: 179.9999616086556 },
            { latitude: 0, longitude: 1.4210854715202007e-14 },
            { latitude: 0, longitude: 0 },
          ],
        ],
      },
    );
  });
});
