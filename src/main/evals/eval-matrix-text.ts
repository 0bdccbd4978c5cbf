/** Plain-text rendering of a prompt × model matrix for the CLI: one table per metric, best cell marked with '*'. */
import type { EvalBatch, MatrixCell, MatrixCellMetrics } from '../../shared/eval-matrix';
import { bestCell, cellAt, matrixColumns } from '../../shared/eval-matrix';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const METRICS: { title: string; show: (m: MatrixCellMetrics) => string }[] = [
  { title: 'Accuracy', show: (m) => m.accuracy.toFixed(3) },
  { title: 'Balanced accuracy', show: (m) => m.balancedAccuracy.toFixed(3) },
  { title: 'Off-label rate', show: (m) => pct(m.offLabelRate) },
  { title: 'p50 latency', show: (m) => (m.p50Ms === null ? '–' : `${m.p50Ms.toFixed(1)} ms`) },
];

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function cellText(cell: MatrixCell | undefined, show: (m: MatrixCellMetrics) => string, best: MatrixCell | null): string {
  if (!cell) return '';
  if (cell.metrics === null) return cell.status;
  const value = show(cell.metrics);
  if (cell.status !== 'done') return `${value} (${cell.status} ${cell.doneCount}/${cell.plannedCount})`;
  return cell === best ? `*${value}` : value;
}

/** Header, then a rows = prompts × columns = model·mode table per metric, then the run id of every cell. */
export function formatMatrix(batch: EvalBatch): string[] {
  const columns = matrixColumns(batch);
  const best = bestCell(batch.cells);
  const n = batch.cells[0]?.plannedCount ?? 0;
  const lines = [
    `Matrix #${batch.id} "${batch.name}": ${batch.prompts.length} prompt(s) × ${batch.models.length} model(s) × ${batch.modes.length} mode(s) ` +
      `on ${n} samples (${batch.split}, seed ${batch.seed}) — ${batch.status}`,
  ];
  for (const metric of METRICS) {
    lines.push('', `${metric.title}:`);
    const rows = batch.prompts.map((p, promptIndex) => [
      p.name,
      ...columns.map((col) => cellText(cellAt(batch, promptIndex, col.modelIndex, col.modeIndex), metric.show, best)),
    ]);
    lines.push(...table(['prompt \\ model', ...columns.map((c) => c.label)], rows));
  }
  lines.push('', best ? '* best cell (highest accuracy)' : 'No finished cell yet.', '');
  lines.push(
    ...table(
      ['prompt \\ model', ...columns.map((c) => c.label)],
      batch.prompts.map((p, promptIndex) => [p.name, ...columns.map((col) => `run #${cellAt(batch, promptIndex, col.modelIndex, col.modeIndex)?.runId ?? '?'}`)]),
    ),
  );
  return lines;
}
