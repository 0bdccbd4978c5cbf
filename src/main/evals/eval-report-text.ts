/** Plain-text rendering of an eval's metrics for the CLI (summary, per-class table, confusion matrix, latency). */
import type { EvalRun } from '../../shared/eval-types';
import type { EvalMetrics } from '../../shared/metrics-types';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function formatMetrics(m: EvalMetrics): string[] {
  const lines: string[] = [];
  lines.push(`Accuracy:          ${f3(m.accuracy)}  (${m.correct}/${m.n})`);
  lines.push(`Balanced accuracy: ${f3(m.balancedAccuracy)}`);
  lines.push(`Off-label rate:    ${pct(m.offLabelRate)}  (${m.offLabelCount}/${m.n})`);
  lines.push(`Macro F1:          ${f3(m.macro.f1)}   weighted F1: ${f3(m.weighted.f1)}`);
  if (m.outsideTruthCount !== undefined && m.outsideTruthCount > 0) {
    lines.push(`Outside classes:   ${pct(m.outsideTruthCount / m.n)}  (${m.outsideTruthCount}/${m.n} answers named a candidate that is no class)`);
  }
  if (m.abstain) {
    const a = m.abstain;
    const onAnswered = a.accuracyOnAnswered === null ? 'n/a' : f3(a.accuracyOnAnswered);
    lines.push(`Coverage:          ${pct(a.coverage)}  (${a.answered} answered, ${a.abstained} "${a.label}")   accuracy on answered: ${onAnswered}`);
  }
  lines.push('');
  lines.push(
    ...table(
      ['class', 'precision', 'recall', 'f1', 'support'],
      m.perClass.map((c) => [c.label, f3(c.precision), f3(c.recall), f3(c.f1), String(c.support)]),
    ),
  );
  lines.push('');
  lines.push('Confusion matrix (rows = truth, columns = prediction):');
  lines.push(...table(['truth \\ pred', ...m.confusion.columns], m.confusion.rows.map((r, i) => [r, ...m.confusion.counts[i].map(String)])));
  if (m.calibration) {
    const c = m.calibration;
    lines.push('');
    lines.push(`Calibration (${c.n} scored rows): ECE ${f3(c.ece)}  Brier ${f3(c.brier)}  log-loss ${f3(c.logLoss)}`);
  }
  lines.push('');
  if (m.latency) {
    lines.push(`Latency: p50 ${m.latency.p50Ms.toFixed(1)} ms  p95 ${m.latency.p95Ms.toFixed(1)} ms  mean ${m.latency.meanMs.toFixed(1)} ms`);
  }
  if (m.throughputPerSec !== null) lines.push(`Throughput: ${m.throughputPerSec.toFixed(2)} samples/s`);
  return lines;
}

/** Header line + metrics (or the reason there are none). */
export function formatRunReport(run: EvalRun): string[] {
  const head = `Eval #${run.id} "${run.name}": ${run.config.modelName} on ${run.config.datasetName}/${run.config.versionName} ` +
    `(${run.split}, ${run.mode}, ${run.doneCount}/${run.plannedCount} samples) — ${run.status}`;
  if (run.metrics === null) return [head, ...(run.error ? [`error: ${run.error}`] : [])];
  return [head, '', ...formatMetrics(run.metrics)];
}
