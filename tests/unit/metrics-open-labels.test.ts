/** Open label sets: computeMetrics with candidates beyond the truth classes and an abstain label, vs scikit-learn goldens (scripts/golden-open-labels.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeMetrics, type MetricsInput } from '../../src/main/evals/metrics';
import { formatMetrics } from '../../src/main/evals/eval-report-text';
import { close, expectCoreMetrics, type GoldenCoreMetrics } from '../fixtures/metrics-golden';

interface GoldenCase {
  name: string;
  input: MetricsInput & { truthLabels: string[]; abstainLabel: string | null };
  expected: GoldenCoreMetrics & {
    outsideTruthCount: number;
    confusionColumns: string[];
    abstain: null | { label: string; abstained: number; answered: number; coverage: number; accuracyOnAnswered: number | null };
    calibration: null | { n: number; ece: number; brier: number; logLoss: number; binCounts: number[] };
  };
}

const goldenPath = fileURLToPath(new URL('../golden/open-labels-golden.json', import.meta.url));
const golden = JSON.parse(readFileSync(goldenPath, 'utf8')) as { cases: GoldenCase[] };

describe('computeMetrics with open label sets vs scikit-learn (labels= the truth classes)', () => {
  it('the goldens cover 49 candidates, abstain, scored rows and extra prediction columns', () => {
    const cars = golden.cases.find((c) => c.name === 'cars-49-candidates') as GoldenCase;
    expect(cars.input.labels).toHaveLength(49);
    expect(cars.input.truthLabels).toHaveLength(6);
    expect(cars.expected.confusionColumns.length).toBeGreaterThan(6 + 1 + 10);
    expect(golden.cases.some((c) => c.expected.abstain !== null && c.expected.calibration !== null)).toBe(true);
  });

  for (const c of golden.cases) {
    it(c.name, () => {
      const m = computeMetrics(c.input);
      const e = c.expected;
      expectCoreMetrics(m, e, c.input.truthLabels);
      expect(m.outsideTruthCount).toBe(e.outsideTruthCount);
      expect(m.confusion.rows).toEqual(c.input.truthLabels);
      expect(m.confusion.columns).toEqual(e.confusionColumns);
      if (e.abstain === null) expect(m.abstain).toBeNull();
      else {
        expect(m.abstain?.label).toBe(e.abstain.label);
        expect(m.abstain?.abstained).toBe(e.abstain.abstained);
        expect(m.abstain?.answered).toBe(e.abstain.answered);
        close(m.abstain?.coverage, e.abstain.coverage);
        close(m.abstain?.accuracyOnAnswered, e.abstain.accuracyOnAnswered);
      }
      if (e.calibration === null) expect(m.calibration).toBeNull();
      else {
        expect(m.calibration?.n).toBe(e.calibration.n);
        close(m.calibration?.ece, e.calibration.ece);
        close(m.calibration?.brier, e.calibration.brier);
        close(m.calibration?.logLoss, e.calibration.logLoss, 1e-6);
        expect(m.calibration?.bins.map((b) => b.count)).toEqual(e.calibration.binCounts);
      }
    });
  }
});

describe('CLI report of an open-label-set run', () => {
  it('prints the share of answers outside the classes and the coverage line', () => {
    const c = golden.cases.find((g) => g.name === 'cars-49-abstain') as GoldenCase;
    const text = formatMetrics(computeMetrics(c.input)).join('\n');
    const e = c.expected;
    const a = e.abstain as NonNullable<GoldenCase['expected']['abstain']>;
    expect(text).toContain(`Outside classes:   ${((e.outsideTruthCount / e.n) * 100).toFixed(1)}%  (${e.outsideTruthCount}/${e.n} answers`);
    expect(text).toContain(`Coverage:          ${(a.coverage * 100).toFixed(1)}%  (${a.answered} answered, ${a.abstained} "unknown")`);
    expect(text).toContain(`accuracy on answered: ${(a.accuracyOnAnswered as number).toFixed(3)}`);
    expect(text).toMatch(/truth \\ pred\s+Audi\s+BMW\s+Chevrolet\s+Dodge\s+Ford\s+Hyundai\s+AM\s/);
  });
});

describe('computeMetrics open-label-set input errors', () => {
  const rows = [{ truth: 'cat', prediction: 'dog' }];
  it('refuses a truth class that is no candidate, an abstain label that is a truth class or no candidate', () => {
    expect(() => computeMetrics({ labels: ['cat', 'dog'], truthLabels: ['cat', 'cow'], rows })).toThrow(/Truth class "cow" is not one of the candidate labels/);
    expect(() => computeMetrics({ labels: ['cat', 'dog'], truthLabels: ['cat', 'dog'], abstainLabel: 'dog', rows })).toThrow(/is a truth class/);
    expect(() => computeMetrics({ labels: ['cat', 'dog'], truthLabels: ['cat'], abstainLabel: 'other', rows })).toThrow(/not one of the candidate labels/);
  });
  it('refuses a truth outside the truth classes even when it is a candidate', () => {
    expect(() => computeMetrics({ labels: ['cat', 'dog'], truthLabels: ['cat'], rows: [{ truth: 'dog', prediction: 'dog' }] })).toThrow(/not one of the eval's truth classes/);
  });
  it('defaults truth classes to the labels, so closed runs keep their old matrix shape', () => {
    const m = computeMetrics({ labels: ['cat', 'dog'], rows: [{ truth: 'cat', prediction: 'dog' }, { truth: 'dog', prediction: null }] });
    expect(m.confusion.columns).toEqual(['cat', 'dog', 'off-label']);
    expect(m.outsideTruthCount).toBe(0);
    expect(m.abstain).toBeNull();
  });
});
