/** Prompt × model matrices: a batch of eval runs over one seeded sample plan, its cells and the metrics shown per cell. */
import { VLM_EVAL_MODES, type EvalDevice, type EvalSplit, type EvalStatus } from './eval-types';

/** The VLM modes a matrix column can use (a classifier takes no prompt, so it has no place in a prompt matrix). */
export const MATRIX_MODES = VLM_EVAL_MODES;
export type MatrixMode = (typeof MATRIX_MODES)[number];

/** A matrix row as stored with the batch: the prompt texts it ran with (promptVersionId: the saved version it came from). */
export interface BatchPrompt {
  name: string;
  systemPrompt: string;
  userPrompt: string;
  promptVersionId: number | null;
}

/**
 * A matrix row as asked for: inline texts, or a saved prompt version (its texts, named by its display name "cats-dogs v2";
 * every cell's run links to it). Resolved to a BatchPrompt when the batch is created.
 */
export type BatchPromptInput =
  | { kind: 'inline'; name: string; systemPrompt: string; userPrompt: string }
  | { kind: 'version'; promptVersionId: number };

/** A matrix column's model, with its name at creation (kept when the model is later removed). */
export interface BatchModel {
  id: number | null;
  name: string;
}

export interface CreateBatchParams {
  name: string;
  versionId: number;
  split: EvalSplit;
  seed: number;
  nSamples: number | null;
  prompts: BatchPromptInput[];
  modelIds: number[];
  modes: MatrixMode[];
  /** Candidate label order for every cell; defaults to the snapshot's classes. */
  labels?: string[];
  device?: EvalDevice;
  dtype?: string | null;
}

/** The figures a matrix cell shows; null until the run has metrics (partial ones while it runs). */
export interface MatrixCellMetrics {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  offLabelRate: number;
  p50Ms: number | null;
}

export interface MatrixCell {
  runId: number;
  promptIndex: number;
  modelIndex: number;
  modeIndex: number;
  status: EvalStatus;
  plannedCount: number;
  doneCount: number;
  metrics: MatrixCellMetrics | null;
  /** True while metrics cover only part of the plan. */
  partial: boolean;
}

/** Derived from the cells' runs, never stored: running while any cell is queued or running, done when all are. */
export type BatchStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface EvalBatch {
  id: number;
  name: string;
  datasetId: number;
  versionId: number;
  split: EvalSplit;
  seed: number;
  nSamples: number | null;
  prompts: BatchPrompt[];
  models: BatchModel[];
  modes: MatrixMode[];
  cells: MatrixCell[];
  status: BatchStatus;
  plannedCount: number;
  doneCount: number;
  createdAt: string;
}

/** The batch's status from its cells' run statuses (failed beats cancelled beats interrupted once nothing is live). */
export function batchStatus(statuses: readonly EvalStatus[]): BatchStatus {
  if (statuses.some((s) => s === 'queued' || s === 'running')) return 'running';
  if (statuses.every((s) => s === 'done')) return 'done';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('cancelled')) return 'cancelled';
  return 'interrupted';
}

/** The cell with the highest accuracy (ties: balanced accuracy, then lower p50 latency); null when no cell has metrics. */
export function bestCell(cells: readonly MatrixCell[]): MatrixCell | null {
  let best: MatrixCell | null = null;
  for (const c of cells) {
    if (c.metrics === null || c.partial) continue;
    const b = best?.metrics;
    const m = c.metrics;
    const better =
      !b ||
      m.accuracy > b.accuracy ||
      (m.accuracy === b.accuracy && m.balancedAccuracy > b.balancedAccuracy) ||
      (m.accuracy === b.accuracy && m.balancedAccuracy === b.balancedAccuracy && (m.p50Ms ?? Infinity) < (b.p50Ms ?? Infinity));
    if (better) best = c;
  }
  return best;
}

/** Matrix columns: every model × mode pair, models outermost (the column order of the view and the CLI table). */
export function matrixColumns(batch: Pick<EvalBatch, 'models' | 'modes'>): { modelIndex: number; modeIndex: number; label: string }[] {
  return batch.models.flatMap((m, modelIndex) =>
    batch.modes.map((mode, modeIndex) => ({ modelIndex, modeIndex, label: batch.modes.length > 1 ? `${m.name} · ${mode}` : m.name })),
  );
}

/** The cell at a row and column, if the batch has it. */
export function cellAt(batch: Pick<EvalBatch, 'cells'>, promptIndex: number, modelIndex: number, modeIndex: number): MatrixCell | undefined {
  return batch.cells.find((c) => c.promptIndex === promptIndex && c.modelIndex === modelIndex && c.modeIndex === modeIndex);
}
