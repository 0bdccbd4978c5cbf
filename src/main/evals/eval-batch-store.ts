/** Creates prompt × model matrix batches (one eval run per cell, all on the same seeded sample plan) and reads them back. */
import type { EvalRun } from '../../shared/eval-types';
import type { BatchModel, BatchPrompt, BatchPromptInput, CreateBatchParams, EvalBatch, MatrixCell, MatrixMode } from '../../shared/eval-matrix';
import { MATRIX_MODES, batchStatus } from '../../shared/eval-matrix';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { notFound, StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { getPromptVersion } from '../prompts/prompt-store';
import { getVersion } from '../versions/snapshot';
import { withPartialMetrics } from './eval-metrics';
import { createEvalRun } from './eval-plan';
import { deleteEvalRun, getEvalRun } from './eval-store';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);
/** More cells than this is almost certainly a mistake in the axes (and hours of inference). */
export const MAX_MATRIX_CELLS = 64;

/** Turns a requested row into the stored prompt texts; a saved version gives its texts (descriptions expanded) and its name. */
function resolvePrompt(db: Db, input: BatchPromptInput): BatchPrompt {
  switch (input.kind) {
    case 'inline':
      return { name: input.name.trim(), systemPrompt: input.systemPrompt, userPrompt: input.userPrompt, promptVersionId: null };
    case 'version': {
      const v = getPromptVersion(db, input.promptVersionId);
      return { name: v.displayName, systemPrompt: v.systemPrompt, userPrompt: v.expandedUserPrompt, promptVersionId: v.id };
    }
  }
}

function firstDuplicate<T>(items: readonly T[]): T | undefined {
  return items.find((x, i) => items.indexOf(x) !== i);
}

function checkAxes(p: CreateBatchParams, prompts: BatchPrompt[]): void {
  if (typeof p.name !== 'string' || p.name.trim() === '') throw invalid('The matrix needs a name');
  if (prompts.length === 0) throw invalid('The matrix needs at least one prompt');
  if (p.modelIds.length === 0) throw invalid('The matrix needs at least one model');
  if (p.modes.length === 0) throw invalid('The matrix needs at least one mode');
  const emptyName = prompts.findIndex((x) => x.name === '');
  if (emptyName >= 0) throw invalid(`Prompt ${emptyName + 1} of the matrix needs a name`);
  const dupName = firstDuplicate(prompts.map((x) => x.name));
  if (dupName !== undefined) throw invalid(`Two prompts of the matrix are named "${dupName}"; prompt names must be unique`);
  const dupModel = firstDuplicate(p.modelIds);
  if (dupModel !== undefined) throw invalid(`Model ${dupModel} is listed twice in the matrix`);
  const badMode = p.modes.find((m) => !(MATRIX_MODES as readonly string[]).includes(m));
  if (badMode !== undefined) throw invalid(`Matrix modes must be ${MATRIX_MODES.join(', ')} (prompts do not apply to "${String(badMode)}")`);
  const dupMode = firstDuplicate(p.modes);
  if (dupMode !== undefined) throw invalid(`Mode "${dupMode}" is listed twice in the matrix`);
  const cells = prompts.length * p.modelIds.length * p.modes.length;
  if (cells > MAX_MATRIX_CELLS) throw invalid(`The matrix has ${cells} cells; at most ${MAX_MATRIX_CELLS} (fewer prompts, models or modes)`);
}

function batchModels(db: Db, modelIds: readonly number[]): BatchModel[] {
  return modelIds.map((id) => {
    const model = getModel(db, id);
    if (model.kind === 'onnx-classifier') throw invalid(`"${model.name}" is a plain ONNX classifier; a prompt matrix compares vision-language models`);
    return { id: model.id, name: model.name };
  });
}

/**
 * Validates the axes, then inserts the batch and one eval run per prompt × model × mode cell, every run with the same
 * version/split/seed/n (so the same planned samples). A cell that cannot be created (a missing dtype, an empty
 * prompt…) removes the runs created so far and the batch: nothing half-made is left behind.
 */
export async function createEvalBatch(db: Db, params: CreateBatchParams): Promise<EvalBatch> {
  const prompts = params.prompts.map((p) => resolvePrompt(db, p));
  checkAxes(params, prompts);
  const version = getVersion(db, params.versionId);
  const models = batchModels(db, params.modelIds);
  const batchId = Number(
    stmt(
      db,
      `INSERT INTO eval_batches (name, dataset_id, version_id, split, seed, n_samples, prompts_json, models_json, modes_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(params.name.trim(), version.datasetId, version.id, params.split, params.seed, params.nSamples, JSON.stringify(prompts), JSON.stringify(models), JSON.stringify(params.modes), nowIso())
      .lastInsertRowid,
  );
  const created: number[] = [];
  try {
    for (const [promptIndex, prompt] of prompts.entries()) {
      for (const [modelIndex, model] of models.entries()) {
        for (const [modeIndex, mode] of params.modes.entries()) {
          const run = await createEvalRun(db, {
            name: `${params.name.trim()} · ${prompt.name} · ${model.name} · ${mode}`,
            versionId: version.id,
            split: params.split,
            modelId: model.id as number,
            mode,
            systemPrompt: prompt.systemPrompt,
            userPrompt: prompt.userPrompt,
            ...(prompt.promptVersionId !== null ? { promptVersionId: prompt.promptVersionId } : {}),
            ...(params.labels !== undefined ? { labels: params.labels } : {}),
            seed: params.seed,
            nSamples: params.nSamples,
            ...(params.device !== undefined ? { device: params.device } : {}),
            ...(params.dtype !== undefined && params.dtype !== null ? { dtype: params.dtype } : {}),
          });
          created.push(run.id);
          db.transaction(() => {
            stmt(db, 'UPDATE eval_runs SET batch_id = ? WHERE id = ?').run(batchId, run.id);
            stmt(db, 'INSERT INTO eval_batch_cells (run_id, batch_id, prompt_index, model_index, mode_index) VALUES (?, ?, ?, ?, ?)').run(
              run.id,
              batchId,
              promptIndex,
              modelIndex,
              modeIndex,
            );
          }).immediate();
        }
      }
    }
  } catch (err) {
    const many = created.length > 1;
    const where = created.length > 0 ? ` (${created.length} cell${many ? 's' : ''} created before ${many ? 'were' : 'was'} removed again)` : '';
    db.transaction(() => {
      for (const runId of created) deleteEvalRun(db, runId);
      stmt(db, 'DELETE FROM eval_batches WHERE id = ?').run(batchId);
    }).immediate();
    if (err instanceof StudioError) throw new StudioError(err.code, `${err.message}${where}`);
    throw err;
  }
  return getEvalBatch(db, batchId);
}

interface BatchRow {
  id: number;
  name: string;
  datasetId: number;
  versionId: number;
  split: EvalBatch['split'];
  seed: number;
  nSamples: number | null;
  promptsJson: string;
  modelsJson: string;
  modesJson: string;
  createdAt: string;
}

const BATCH_COLUMNS = `id, name, dataset_id AS datasetId, version_id AS versionId, split, seed, n_samples AS nSamples,
  prompts_json AS promptsJson, models_json AS modelsJson, modes_json AS modesJson, created_at AS createdAt`;

function toCell(db: Db, cell: { runId: number; promptIndex: number; modelIndex: number; modeIndex: number }): MatrixCell {
  const run: EvalRun = withPartialMetrics(db, getEvalRun(db, cell.runId));
  const m = run.metrics;
  return {
    ...cell,
    status: run.status,
    plannedCount: run.plannedCount,
    doneCount: run.doneCount,
    metrics:
      m === null
        ? null
        : { n: m.n, accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, offLabelRate: m.offLabelRate, p50Ms: m.latency?.p50Ms ?? null },
    partial: m?.partial !== undefined,
  };
}

function toBatch(db: Db, row: BatchRow): EvalBatch {
  const cellRows = stmt(
    db,
    `SELECT run_id AS runId, prompt_index AS promptIndex, model_index AS modelIndex, mode_index AS modeIndex
     FROM eval_batch_cells WHERE batch_id = ? ORDER BY prompt_index, model_index, mode_index`,
  ).all(row.id) as { runId: number; promptIndex: number; modelIndex: number; modeIndex: number }[];
  const cells = cellRows.map((c) => toCell(db, c));
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    versionId: row.versionId,
    split: row.split,
    seed: row.seed,
    nSamples: row.nSamples,
    prompts: JSON.parse(row.promptsJson) as BatchPrompt[],
    models: JSON.parse(row.modelsJson) as BatchModel[],
    modes: JSON.parse(row.modesJson) as MatrixMode[],
    cells,
    status: cells.length === 0 ? 'cancelled' : batchStatus(cells.map((c) => c.status)),
    plannedCount: cells.reduce((a, c) => a + c.plannedCount, 0),
    doneCount: cells.reduce((a, c) => a + c.doneCount, 0),
    createdAt: row.createdAt,
  };
}

export function getEvalBatch(db: Db, batchId: number): EvalBatch {
  const row = stmt(db, `SELECT ${BATCH_COLUMNS} FROM eval_batches WHERE id = ?`).get(batchId) as BatchRow | undefined;
  if (!row) throw notFound(`eval batch ${batchId}`);
  return toBatch(db, row);
}

/** A dataset's batches, newest first. */
export function listEvalBatches(db: Db, datasetId: number): EvalBatch[] {
  const rows = stmt(db, `SELECT ${BATCH_COLUMNS} FROM eval_batches WHERE dataset_id = ? ORDER BY id DESC`).all(datasetId) as BatchRow[];
  return rows.map((r) => toBatch(db, r));
}

/** The batch's run ids in cell order (prompt, model, mode): the order its jobs are queued in. */
export function batchRunIds(db: Db, batchId: number): number[] {
  getEvalBatch(db, batchId);
  return stmt(db, 'SELECT run_id FROM eval_batch_cells WHERE batch_id = ? ORDER BY prompt_index, model_index, mode_index').pluck(true).all(batchId) as number[];
}
