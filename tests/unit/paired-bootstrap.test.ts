/** Checks the paired bootstrap CI of an accuracy difference against numpy (scripts/golden-bootstrap.py) and its determinism. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pairedBootstrapCi, pairedDiffs, percentileInterval, resampleMeans, seededRandom } from '../../src/main/evals/paired-bootstrap';

interface Ci { low: number; high: number }
interface Golden {
  cases: {
    indexed: { okA: boolean[]; okB: boolean[]; resamples: number; indices: number[]; diff: number; means: number[]; ci95: Ci; ci90: Ci };
    converged: { okA: boolean[]; okB: boolean[]; resamples: number; diff: number; ci95: Ci; unpairedCi95: Ci; tolerance: number };
  };
}

const goldenPath = fileURLToPath(new URL('../golden/bootstrap-golden.json', import.meta.url));
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden;

describe('paired bootstrap vs numpy', () => {
  it('reproduces numpy\'s per-resample means and percentile CI exactly from numpy\'s own index list', () => {
    const g = golden.cases.indexed;
    const d = pairedDiffs(g.okA, g.okB);
    const n = d.length;
    const means = resampleMeans(d, g.resamples, (r, j) => g.indices[r * n + j]);
    expect(Array.from(means)).toEqual(g.means);
    expect(percentileInterval(means, 0.95)).toEqual(g.ci95);
    expect(percentileInterval(means, 0.9)).toEqual(g.ci90);
    expect(pairedBootstrapCi(g.okA, g.okB)?.diff).toBeCloseTo(g.diff, 15);
  });

  it('converges to numpy\'s 400 000-resample CI within one lattice step, and is paired (not the unpaired interval)', () => {
    const g = golden.cases.converged;
    const ci = pairedBootstrapCi(g.okA, g.okB, { resamples: 100_000, seed: 7 });
    expect(ci).not.toBeNull();
    expect(ci!.diff).toBeCloseTo(g.diff, 15);
    expect(Math.abs(ci!.low - g.ci95.low)).toBeLessThanOrEqual(g.tolerance);
    expect(Math.abs(ci!.high - g.ci95.high)).toBeLessThanOrEqual(g.tolerance);
    // The tolerance separates the two: an unpaired bootstrap is several steps wider on both ends.
    expect(Math.abs(g.unpairedCi95.low - g.ci95.low)).toBeGreaterThan(2 * g.tolerance);
    expect(Math.abs(g.unpairedCi95.high - g.ci95.high)).toBeGreaterThan(2 * g.tolerance);
  });

  it('is deterministic for a seed, differs across seeds, and brackets the observed difference', () => {
    const g = golden.cases.converged;
    const a = pairedBootstrapCi(g.okA, g.okB, { seed: 1 });
    expect(pairedBootstrapCi(g.okA, g.okB, { seed: 1 })).toEqual(a);
    expect(a).toMatchObject({ resamples: 10_000, level: 0.95, seed: 1 });
    expect(a!.low).toBeLessThanOrEqual(a!.diff);
    expect(a!.high).toBeGreaterThanOrEqual(a!.diff);
    // The inlined hot loop draws exactly what resampleMeans does with seededRandom's stream.
    const d = pairedDiffs(g.okA, g.okB);
    const rand = seededRandom(9);
    const reference = percentileInterval(resampleMeans(d, 500, () => Math.floor(rand() * d.length)), 0.95);
    expect(pairedBootstrapCi(g.okA, g.okB, { seed: 9, resamples: 500 })).toMatchObject(reference);
    const other = [2, 3, 4, 5].map((seed) => pairedBootstrapCi(g.okA, g.okB, { seed, resamples: 300 }));
    expect(new Set(other.map((c) => `${c!.low},${c!.high}`)).size).toBeGreaterThan(1);
  });

  it('handles the edges: no shared sample, identical runs, bad options', () => {
    expect(pairedBootstrapCi([], [])).toBeNull();
    const same = [true, false, true, true];
    expect(pairedBootstrapCi(same, same)).toMatchObject({ diff: 0, low: 0, high: 0 });
    expect(() => pairedBootstrapCi([true], [true, false])).toThrow(/differ in length/);
    expect(() => pairedBootstrapCi([true], [true], { level: 1 })).toThrow(/level/);
    expect(() => pairedBootstrapCi([true], [true], { resamples: 0 })).toThrow(/resamples/);
  });
});
