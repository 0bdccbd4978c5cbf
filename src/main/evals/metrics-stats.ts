/** Small numeric helpers for eval metrics, written to reproduce numpy's results bit-for-bit where practical. */

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of an empty list');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Percentile `p` (0..100) with linear interpolation between order statistics, i.e. numpy.percentile's
 * default method='linear': h = (n−1)·p/100, result = x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on sorted x.
 * The interpolation is evaluated the way numpy's _lerp does it, so results match to the last bit.
 */
export function percentileLinear(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Index of the largest value; the first one wins ties (numpy.argmax). */
export function argmax(values: readonly number[]): number {
  if (values.length === 0) throw new Error('argmax of an empty list');
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
