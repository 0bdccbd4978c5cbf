/** Picks and shapes the eval runs of a fine-tune's base-vs-fine-tuned comparison, so both runs share one exact configuration. */
import type { CreateEvalParams, EvalRun, RegisteredModel } from '../../shared/eval-types';
import type { FinetuneSpec } from '../../shared/finetune-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { getEvalRun } from '../evals/eval-store';
import { getVersion, versionSamples } from '../versions/snapshot';

/** The split a created baseline evaluates: held-out samples the fine-tune never trained on. */
export const BASELINE_SPLIT = 'test';

/** Why spec.evaluate.baselineRunId cannot serve as the baseline (null: it can, or none is named). */
export function baselineRunProblem(db: Db, spec: FinetuneSpec): string | null {
  const id = spec.evaluate.baselineRunId;
  if (!spec.evaluate.enabled || id === null) return null;
  let run: EvalRun;
  try {
    run = getEvalRun(db, id);
  } catch {
    return `baseline eval run #${id} does not exist`;
  }
  if (run.modelId !== spec.baseModelId) {
    const base = stmt(db, 'SELECT name FROM models WHERE id = ?').pluck(true).get(spec.baseModelId) as string | undefined;
    return `baseline eval run #${id} ("${run.name}") evaluates ${run.config.modelName}, not the base model ${base ? `"${base}"` : `#${spec.baseModelId}`}`;
  }
  if (run.status !== 'done') return `baseline eval run #${id} ("${run.name}") is ${run.status}, not done; finish it or pick a done run of the base model`;
  return null;
}

/** Why no baseline can be created (the snapshot's test split is empty); null when one can, or a baseline is named. */
export function noTestSplitReason(db: Db, spec: FinetuneSpec): string | null {
  if (!spec.evaluate.enabled || spec.evaluate.baselineRunId !== null) return null;
  try {
    if (versionSamples(db, spec.versionId).some((s) => s.split === BASELINE_SPLIT)) return null;
    return `snapshot "${getVersion(db, spec.versionId).name}" has no ${BASELINE_SPLIT} samples, so there is nothing held out to evaluate the base and the fine-tune on; assign a ${BASELINE_SPLIT} split (new snapshot) or name a baseline run`;
  } catch {
    return null; // A missing snapshot is the validation's own error.
  }
}

/** The label order both runs use: the spec's, else the snapshot's classes. */
export function specLabels(db: Db, spec: FinetuneSpec): string[] {
  return spec.labels ?? getVersion(db, spec.versionId).classes;
}

/** The newest done run of the base on the snapshot's test split with the spec's prompts, labels and mode; null when there is none. */
export function findBaselineRun(db: Db, spec: FinetuneSpec): EvalRun | null {
  const id = stmt(
    db,
    `SELECT id FROM eval_runs WHERE model_id = ? AND version_id = ? AND split = ? AND mode = ? AND system_prompt = ? AND user_prompt = ?
       AND labels_json = ? AND status = 'done' ORDER BY id DESC LIMIT 1`,
  )
    .pluck(true)
    .get(spec.baseModelId, spec.versionId, BASELINE_SPLIT, spec.evaluate.mode, spec.systemPrompt, spec.userPrompt, JSON.stringify(specLabels(db, spec))) as
    | number
    | undefined;
  return id === undefined ? null : getEvalRun(db, id);
}

/**
 * An existing run of exactly this configuration (any status, newest first): the one an earlier attempt created before
 * it could record it (a crash between the two), so a retry resumes it instead of creating a second.
 */
export function findRunLike(db: Db, p: CreateEvalParams): EvalRun | null {
  const id = stmt(
    db,
    `SELECT id FROM eval_runs WHERE model_id = ? AND version_id = ? AND split = ? AND mode = ? AND system_prompt = ? AND user_prompt = ?
       AND labels_json = ? AND seed = ? AND n_samples IS ? AND device = ? AND dtype IS ? ORDER BY id DESC LIMIT 1`,
  )
    .pluck(true)
    .get(p.modelId, p.versionId, p.split, p.mode, p.systemPrompt ?? null, p.userPrompt ?? null, JSON.stringify(p.labels ?? null), p.seed, p.nSamples, p.device ?? 'cpu', p.dtype ?? null) as
    | number
    | undefined;
  return id === undefined ? null : getEvalRun(db, id);
}

/** A new baseline run of the base when none exists: the whole test split, the fine-tune's seed, on the CPU. */
export function newBaselineParams(db: Db, spec: FinetuneSpec, base: RegisteredModel, finetuneName: string): CreateEvalParams {
  return {
    name: `${base.name} · baseline for ${finetuneName}`,
    versionId: spec.versionId,
    split: BASELINE_SPLIT,
    modelId: base.id,
    mode: spec.evaluate.mode,
    systemPrompt: spec.systemPrompt,
    userPrompt: spec.userPrompt,
    labels: specLabels(db, spec),
    seed: spec.hyperparams.seed,
    nSamples: null,
    device: 'cpu',
    dtype: base.defaultDtype,
  };
}

/** The fine-tuned model's run: the baseline's exact configuration (prompt, mode, labels, split, samples, seed, device, dtype). */
export function finetunedParams(baseline: EvalRun, model: RegisteredModel): CreateEvalParams {
  return {
    name: `${model.name} · vs baseline #${baseline.id}`,
    versionId: baseline.versionId,
    split: baseline.split,
    modelId: model.id,
    mode: baseline.mode,
    systemPrompt: baseline.systemPrompt,
    userPrompt: baseline.userPrompt,
    labels: baseline.labels,
    seed: baseline.seed,
    nSamples: baseline.nSamples,
    device: baseline.device,
    // The same weight precision as the baseline when the export has it (a merged LoRA export carries the base's variants).
    dtype: baseline.dtype !== null && model.dtypes.includes(baseline.dtype) ? baseline.dtype : model.defaultDtype,
  };
}
