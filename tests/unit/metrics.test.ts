/** Edge cases and hand-checked conventions of computeMetrics (the golden file covers the sklearn comparisons). */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/main/evals/metrics';
import { confidenceBin } from '../../src/main/evals/metrics-calibration';
import { percentileLinear } from '../../src/main/evals/metrics-stats';

function allNumbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(allNumbers);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allNumbers);
  return [];
}

describe('computeMetrics edge cases', () => {
  it('rejects an empty eval with a clear error', () => {
    expect(() => computeMetrics({ labels: ['cat', 'dog'], rows: [] })).toThrow(/no rows/);
    expect(() => computeMetrics({ labels: [], rows: [{ truth: 'cat', prediction: 'cat' }] })).toThrow(/label list is empty/);
  });

  it('handles a single class', () => {
    const m = computeMetrics({ labels: ['cat'], rows: [{ truth: 'cat', prediction: 'cat' }, { truth: 'cat', prediction: 'cat' }] });
    expect(m.accuracy).toBe(1);
    expect(m.balancedAccuracy).toBe(1);
    expect(m.perClass).toEqual([{ label: 'cat', precision: 1, recall: 1, f1: 1, support: 2, predicted: 2 }]);
    expect(m.confusion.counts).toEqual([[2, 0]]);
  });

  it('scores an all-off-label eval as zero without NaN', () => {
    const m = computeMetrics({ labels: ['cat', 'dog'], rows: [{ truth: 'cat', prediction: null }, { truth: 'dog', prediction: null }] });
    expect(m.accuracy).toBe(0);
    expect(m.balancedAccuracy).toBe(0);
    expect(m.offLabelRate).toBe(1);
    expect(m.macro).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(m.confusion.counts).toEqual([[0, 0, 1], [0, 0, 1]]);
    expect(allNumbers(m).every(Number.isFinite)).toBe(true);
  });

  it('counts off-label as a miss for recall but not as a predicted positive for precision', () => {
    const m = computeMetrics({
      labels: ['cat', 'dog'],
      rows: [
        { truth: 'cat', prediction: 'cat' },
        { truth: 'cat', prediction: null },
        { truth: 'dog', prediction: 'cat' },
        { truth: 'dog', prediction: 'dog' },
      ],
    });
    const [cat, dog] = m.perClass;
    expect(cat).toMatchObject({ precision: 0.5, recall: 0.5, support: 2, predicted: 2 });
    expect(dog).toMatchObject({ precision: 1, recall: 0.5, support: 2, predicted: 1 });
    expect(m.accuracy).toBe(0.5);
    expect(m.offLabelCount).toBe(1);
    expect(m.confusion.counts).toEqual([[1, 0, 1], [1, 1, 0]]);
  });

  it('rejects labels, predictions and probabilities that do not fit the label list', () => {
    const labels = ['cat', 'dog'];
    expect(() => computeMetrics({ labels, rows: [{ truth: 'cow', prediction: 'cat' }] })).toThrow(/truth "cow"/);
    expect(() => computeMetrics({ labels, rows: [{ truth: 'cat', prediction: 'cow' }] })).toThrow(/use null for off-label/);
    expect(() => computeMetrics({ labels: ['cat', 'cat'], rows: [{ truth: 'cat', prediction: 'cat' }] })).toThrow(/twice/);
    expect(() => computeMetrics({ labels, rows: [{ truth: 'cat', prediction: 'cat', probabilities: [1] }] })).toThrow(/1 probabilities for 2 labels/);
    expect(() => computeMetrics({ labels, rows: [{ truth: 'cat', prediction: 'cat', probabilities: [0.9, 0.3] }] })).toThrow(/sum to/);
    expect(() => computeMetrics({ labels, rows: [{ truth: 'cat', prediction: 'cat', latencyMs: -1 }] })).toThrow(/latencyMs/);
  });

  it('computes ECE from hand-checkable bins and throughput from wall time', () => {
    const m = computeMetrics({
      labels: ['cat', 'dog'],
      wallTimeMs: 2000,
      rows: [
        { truth: 'cat', prediction: 'cat', probabilities: [0.95, 0.05] }, // bin 9, correct
        { truth: 'dog', prediction: 'cat', probabilities: [0.95, 0.05] }, // bin 9, wrong
        { truth: 'dog', prediction: 'dog', probabilities: [0.4, 0.6] }, // bin 6, correct
        { truth: 'cat', prediction: 'cat', probabilities: [1, 0] }, // bin 9 (1.0 folds into last bin), correct
      ],
    });
    const cal = m.calibration;
    if (cal === null) throw new Error('expected calibration');
    expect(cal.bins[9]).toMatchObject({ count: 3 });
    expect(cal.bins[9].accuracy).toBeCloseTo(2 / 3, 12);
    expect(cal.bins[9].meanConfidence).toBeCloseTo(2.9 / 3, 12);
    expect(cal.bins[6]).toMatchObject({ count: 1, accuracy: 1 });
    expect(cal.bins[0]).toMatchObject({ count: 0, accuracy: null, meanConfidence: null });
    expect(cal.ece).toBeCloseTo((3 / 4) * Math.abs(2 / 3 - 2.9 / 3) + (1 / 4) * 0.4, 12);
    expect(m.throughputPerSec).toBe(2);
    expect(m.latency).toBeNull();
  });

  it('leaves calibration null without probabilities', () => {
    expect(computeMetrics({ labels: ['a', 'b'], rows: [{ truth: 'a', prediction: 'b' }] }).calibration).toBeNull();
  });
});

describe('metric helpers', () => {
  it('percentileLinear interpolates between order statistics like numpy.percentile', () => {
    expect(percentileLinear([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentileLinear([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 12);
    expect(percentileLinear([7], 95)).toBe(7);
    expect(() => percentileLinear([], 50)).toThrow(/empty/);
  });

  it('confidenceBin uses [i/10, (i+1)/10) with 1.0 in the last bin', () => {
    expect(confidenceBin(0)).toBe(0);
    expect(confidenceBin(0.0999)).toBe(0);
    expect(confidenceBin(0.1)).toBe(1);
    expect(confidenceBin(0.5)).toBe(5);
    expect(confidenceBin(1)).toBe(9);
  });
});
