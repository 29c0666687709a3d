import fc from 'fast-check';

/**
 * Any JSON value that survives the trip through JSON.stringify and the body
 * parser unchanged. fast-check likes `__proto__` and `constructor` as object
 * keys; the parser refuses those as MALFORMED_JSON before validation ever
 * runs, which is right but is not what an "unknown property" test is about.
 */
export const plainJsonValue: fc.Arbitrary<unknown> = fc
  .jsonValue()
  .filter((value) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(value)));
