/** Checks computeMetrics against scikit-learn/numpy reference values produced by scripts/golden-metrics.py. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeMetrics, type MetricsInput } from '../../src/main/evals/metrics';
import { close, expectCoreMetrics, type GoldenCoreMetrics } from '../fixtures/metrics-golden';

interface GoldenCase {
  name: string;
  input: MetricsInput;
  expected: GoldenCoreMetrics & {
    calibration: null | {
      n: number; ece: number; brier: number; logLoss: number;
      bins: { count: number; meanConfidence: number | null; accuracy: number | null }[];
    };
    latency: null | { n: number; meanMs: number; p50Ms: number; p95Ms: number };
    throughputPerSec: number | null;
  };
}

const goldenPath = fileURLToPath(new URL('../golden/metrics-golden.json', import.meta.url));
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { cases: GoldenCase[] };

describe('computeMetrics vs scikit-learn golden cases', () => {
  it('covers the required scenarios', () => {
    const names = golden.cases.map((c) => c.name);
    for (const required of ['binary-imbalanced', 'pets-37-class', 'six-class-off-label', 'class-never-predicted', 'scored-calibration']) {
      expect(names).toContain(required);
    }
    const never = golden.cases.find((c) => c.name === 'class-never-predicted') as GoldenCase;
    expect(never.input.rows.some((r) => r.prediction === 'cherry')).toBe(false);
    expect(never.input.rows.some((r) => r.truth === 'elderberry')).toBe(false);
    expect(never.input.rows.some((r) => r.prediction === 'elderberry')).toBe(true);
  });

  for (const c of golden.cases) {
    it(c.name, () => {
      const m = computeMetrics(c.input);
      const e = c.expected;
      expectCoreMetrics(m, e, c.input.labels);
      expect(m.confusion.columns).toEqual([...c.input.labels, 'off-label']);
      if (e.calibration === null) expect(m.calibration).toBeNull();
      else {
        const cal = m.calibration;
        expect(cal).not.toBeNull();
        if (cal === null) return;
        expect(cal.n).toBe(e.calibration.n);
        close(cal.ece, e.calibration.ece);
        close(cal.brier, e.calibration.brier);
        close(cal.logLoss, e.calibration.logLoss, 1e-6);
        expect(cal.bins.map((b) => b.count)).toEqual(e.calibration.bins.map((b) => b.count));
        cal.bins.forEach((b, i) => {
          close(b.meanConfidence, e.calibration?.bins[i].meanConfidence ?? null);
          close(b.accuracy, e.calibration?.bins[i].accuracy ?? null);
        });
      }
      if (e.latency === null) expect(m.latency).toBeNull();
      else {
        expect(m.latency?.n).toBe(e.latency.n);
        close(m.latency?.meanMs ?? null, e.latency.meanMs);
        close(m.latency?.p50Ms ?? null, e.latency.p50Ms);
        close(m.latency?.p95Ms ?? null, e.latency.p95Ms);
      }
      close(m.throughputPerSec, e.throughputPerSec);
    });
  }
});
