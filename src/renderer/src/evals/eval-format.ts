/** Display formatters for eval numbers (rates, latencies, p-values) and one-line mode/split descriptions. */
import { assertNever } from '../../../shared/assert-never';
import type { EvalMode, EvalRun } from '../../../shared/eval-types';

export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ms`;
}

export function pValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

/** Signed difference in percentage points, e.g. "+4.2 pp". */
export function deltaPp(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined) return '';
  const d = (b - a) * 100;
  if (Math.abs(d) < 0.05) return '±0 pp';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} pp`;
}

export function modeLabel(mode: EvalMode): string {
  switch (mode) {
    case 'raw':
      return 'Raw';
    case 'constrained':
      return 'Constrained';
    case 'scored':
      return 'Scored';
    case 'classifier':
      return 'Classifier';
    default:
      return assertNever(mode, 'eval mode');
  }
}

/** One line under each mode choice in the New eval form. */
export function modeExplanation(mode: EvalMode): string {
  switch (mode) {
    case 'raw':
      return 'Free generation; the answer text is matched to a label (anything else counts as off-label).';
    case 'constrained':
      return 'Only labels allowed: decoding is restricted to the label set, so there are no off-label answers.';
    case 'scored':
      return 'Probability per label: scores every label and picks the most likely (gives calibration metrics).';
    case 'classifier':
      return 'Plain ONNX image classifier; its classes are mapped onto the dataset labels.';
    default:
      return assertNever(mode, 'eval mode');
  }
}

/** Progress of a run as "12 / 40". */
export function runProgress(run: EvalRun): string {
  return `${run.doneCount.toLocaleString()} / ${run.plannedCount.toLocaleString()}`;
}

export function isRunLive(run: EvalRun): boolean {
  return run.status === 'queued' || run.status === 'running';
}
