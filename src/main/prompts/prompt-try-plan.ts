/** Resolves a quick-try request into job params: the model folder and dtype, the candidate labels and the sample image files. */
import type { EvalSplit } from '../../shared/eval-types';
import { PROMPT_TRY_PICKABLE_MAX, type PromptTryJobParams, type PromptTryPickables } from '../../shared/prompt-try';
import { promptTryRequestSchema } from '../../shared/prompt-try';
import type { z } from 'zod';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { getVersion, versionSamples } from '../versions/snapshot';
import { planSamples } from '../evals/eval-plan';
import { getEvalRun } from '../evals/eval-store';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);
type TryRequest = z.output<typeof promptTryRequestSchema>;
type TrySample = PromptTryJobParams['samples'][number];

function withExt(db: Db, rows: { sampleId: number; imageHash: string; originalPath: string; truth: string }[]): TrySample[] {
  const ext = stmt(db, 'SELECT ext FROM images WHERE hash = ?').pluck(true);
  return rows.map((r) => {
    const e = ext.get(r.imageHash) as string | undefined;
    if (e === undefined) throw new StudioError('not-found', `The image of sample ${r.sampleId} is not in the store`);
    return { ...r, ext: e };
  });
}

function pickSamples(db: Db, req: TryRequest): TrySample[] {
  const all = versionSamples(db, req.versionId);
  const src = req.source;
  if (src.kind === 'sample') {
    const plan = planSamples(all, src.split, src.seed, src.count);
    if (plan.length === 0) throw invalid(`Split "${src.split}" of this snapshot has no samples; pick another split`);
    return withExt(db, plan.map((s) => ({ sampleId: s.sampleId, imageHash: s.imageHash, originalPath: s.originalPath, truth: s.label })));
  }
  if (src.kind === 'ids') {
    const byId = new Map(all.map((s) => [s.sampleId, s]));
    const missing = src.sampleIds.filter((id) => !byId.has(id));
    if (missing.length > 0) throw invalid(`Samples ${missing.join(', ')} are not in this snapshot`);
    return withExt(db, src.sampleIds.map((id) => byId.get(id)!).map((s) => ({ sampleId: s.sampleId, imageHash: s.imageHash, originalPath: s.originalPath, truth: s.label })));
  }
  const run = getEvalRun(db, src.runId);
  if (run.versionId !== req.versionId) throw invalid(`Run "${run.name}" evaluated another snapshot; pick its snapshot to retry its mistakes`);
  const rows = stmt(
    db,
    `SELECT e.sample_id AS sampleId, e.image_hash AS imageHash, COALESCE(vs.original_path, '') AS originalPath, e.truth
     FROM eval_samples e LEFT JOIN version_samples vs ON vs.version_id = ? AND vs.sample_id = e.sample_id
     WHERE e.run_id = ? AND e.done = 1 AND (e.prediction IS NULL OR e.prediction <> e.truth) ORDER BY e.position LIMIT ?`,
  ).all(run.versionId, run.id, src.count) as { sampleId: number; imageHash: string; originalPath: string; truth: string }[];
  if (rows.length === 0) throw invalid(`Run "${run.name}" has no mistakes to try again`);
  return withExt(db, rows);
}

/** Validates the model (a VLM with the dtype) and resolves the samples; labels default to the snapshot's classes. */
export function planPromptTry(db: Db, req: TryRequest, labels?: string[]): PromptTryJobParams {
  const version = getVersion(db, req.versionId);
  const model = getModel(db, req.modelId);
  if (model.kind !== 'vlm') throw invalid(`"${model.name}" is a plain classifier: quick try needs a vision-language model`);
  const dtype = req.dtype ?? model.defaultDtype;
  if (dtype === null || !model.dtypes.includes(dtype)) throw invalid(`Model "${model.name}" has no complete "${String(dtype)}" variant; available: ${model.dtypes.join(', ')}`);
  return {
    modelName: model.name,
    modelDir: model.path,
    mode: req.mode,
    device: req.device,
    dtype,
    systemPrompt: req.systemPrompt,
    userPrompt: req.userPrompt,
    labels: labels ?? version.classes,
    samples: pickSamples(db, req),
  };
}

/** The samples of a snapshot's split that the quick try offers to pick (by sample id, capped so the strip stays light). */
export function promptTryPickables(db: Db, versionId: number, split: EvalSplit): PromptTryPickables {
  const rows = versionSamples(db, versionId).filter((s) => split === 'all' || s.split === split);
  return { total: rows.length, samples: rows.slice(0, PROMPT_TRY_PICKABLE_MAX).map((s) => ({ sampleId: s.sampleId, label: s.label, originalPath: s.originalPath })) };
}
