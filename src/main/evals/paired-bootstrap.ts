/** Paired bootstrap CI of an accuracy difference (B − A): resample the shared samples, keep each sample's pair of outcomes. */
import { mulberry32 } from '../splits/seeded-rng';
import { percentileLinear } from './metrics-stats';

export interface BootstrapCi {
  /** Observed accuracy of B minus that of A over the paired samples. */
  diff: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
  seed: number;
}

/** A deterministic uniform [0, 1) stream (the splits' mulberry32): the same seed always gives the same CI. */
export const seededRandom = mulberry32;

/** Per-sample paired difference: +1 only B right, −1 only A right, 0 both right or both wrong. */
export function pairedDiffs(okA: readonly boolean[], okB: readonly boolean[]): Int8Array {
  if (okA.length !== okB.length) throw new Error(`paired outcomes differ in length: ${okA.length} vs ${okB.length}`);
  return Int8Array.from(okA, (a, i) => Number(okB[i]) - Number(a));
}

/**
 * Mean paired difference of each resample; `index(r, j)` picks the j-th sample of resample r. Exposed so a test can
 * feed the exact index list numpy drew and check these means and the percentile CI bit for bit.
 */
export function resampleMeans(d: Int8Array, resamples: number, index: (r: number, j: number) => number): Float64Array {
  const n = d.length;
  const out = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += d[index(r, j)];
    out[r] = sum / n;
  }
  return out;
}

/** resampleMeans with the mulberry32 draws inlined (the hot loop of a compare: resamples × n draws). */
function seededResampleMeans(d: Int8Array, resamples: number, seed: number): Float64Array {
  const n = d.length;
  const out = new Float64Array(resamples);
  let a = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += d[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)];
    }
    out[r] = sum / n;
  }
  return out;
}

/** The percentile interval ((1 − level)/2, (1 + level)/2) of the resampled means, numpy's linear percentile. */
export function percentileInterval(means: ArrayLike<number>, level: number): { low: number; high: number } {
  const values = Array.from(means);
  const tail = ((1 - level) / 2) * 100;
  return { low: percentileLinear(values, tail), high: percentileLinear(values, 100 - tail) };
}

/** Seeded paired bootstrap (default 10 000 resamples, 95 %); null when there is no shared sample. */
export function pairedBootstrapCi(
  okA: readonly boolean[],
  okB: readonly boolean[],
  options: { resamples?: number; seed?: number; level?: number } = {},
): BootstrapCi | null {
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 12_345;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`CI level must be within (0, 1), got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`resamples must be a positive integer, got ${resamples}`);
  const d = pairedDiffs(okA, okB);
  const n = d.length;
  if (n === 0) return null;
  let observed = 0;
  for (const v of d) observed += v;
  const means = seededResampleMeans(d, resamples, seed);
  return { diff: observed / n, ...percentileInterval(means, level), level, resamples, seed };
}
