/** Creates an eval run: validates its parameters and stores the seeded sample plan (fixed rows, fixed order). */
import { existsSync } from 'node:fs';
import type { CreateEvalParams, EvalRun, EvalRunConfig, EvalSplit } from '../../shared/eval-types';
import { EVAL_DEVICES, EVAL_MODES, EVAL_SPLITS } from '../../shared/eval-types';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../shared/prompt-template';
import type { Db } from '../db/open-database';
import { nowIso, stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { getModel } from '../models/model-registry';
import { deriveSeed, mulberry32, shuffleInPlace } from '../splits/seeded-rng';
import { getVersion, versionSamples, type VersionSample } from '../versions/snapshot';
import { resolveCascade } from './cascade-plan';
import { checkAbstainLabel, checkRunLabels, mappingCandidates, resolveRunMapping, truthLabelsOf } from './eval-labels';
import { findClassMapping } from '../class-mappings/class-mapping-store';
import { getEvalRun } from './eval-store';
import { runPromptTexts, linkRunPromptVersion } from '../prompts/run-prompt-link';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

/**
 * The eval's sample: the version's rows in `split` (by sample id), shuffled with a seeded Fisher–Yates and cut to
 * `nSamples`. Deterministic for (rows, split, seed); a smaller n gives a prefix of a larger n's plan.
 */
export function planSamples(
  samples: readonly VersionSample[],
  split: EvalSplit,
  seed: number,
  nSamples: number | null,
): VersionSample[] {
  const pool = samples.filter((s) => split === 'all' || s.split === split).sort((a, b) => a.sampleId - b.sampleId);
  shuffleInPlace(pool, mulberry32(deriveSeed(seed, 'eval-sample')));
  return nSamples === null ? pool : pool.slice(0, nSamples);
}

function validateScalars(p: CreateEvalParams): void {
  if (typeof p.name !== 'string' || p.name.trim() === '') throw invalid('The eval needs a name');
  if (!EVAL_SPLITS.includes(p.split)) throw invalid(`split must be one of ${EVAL_SPLITS.join(', ')}, got "${String(p.split)}"`);
  if (!EVAL_MODES.includes(p.mode)) throw invalid(`mode must be one of ${EVAL_MODES.join(', ')}, got "${String(p.mode)}"`);
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw invalid(`seed must be a non-negative integer, got ${String(p.seed)}`);
  if (p.nSamples !== null && (!Number.isSafeInteger(p.nSamples) || p.nSamples < 1)) {
    throw invalid(`n_samples must be a positive integer (or omitted for the whole split), got ${String(p.nSamples)}`);
  }
  if (p.device !== undefined && !EVAL_DEVICES.includes(p.device)) {
    throw invalid(`device must be one of ${EVAL_DEVICES.join(', ')}, got "${String(p.device)}"`);
  }
}

function splitSummary(samples: readonly VersionSample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.split ?? 'none', (counts.get(s.split ?? 'none') ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

/** Validates everything (version, model, mode/kind, split, labels, mapping, dtype) and inserts the run + its plan. */
export async function createEvalRun(db: Db, params: CreateEvalParams): Promise<EvalRun> {
  validateScalars(params);
  const version = getVersion(db, params.versionId);
  const model = getModel(db, params.modelId);
  if (!existsSync(model.path)) throw new StudioError('not-found', `The folder of model "${model.name}" is gone: ${model.path}`);
  const isClassifier = params.mode === 'classifier';
  if (isClassifier !== (model.kind === 'onnx-classifier')) {
    throw invalid(
      model.kind === 'onnx-classifier'
        ? `"${model.name}" is a plain ONNX classifier: use mode "classifier"`
        : `"${model.name}" is a vision-language model: use mode raw, constrained or scored (not "classifier")`,
    );
  }
  const lookupMapping = (name: string) => findClassMapping(db, name);
  const fromMapping =
    isClassifier && params.classMapping && params.labels === undefined ? await mappingCandidates(model.path, params.classMapping, lookupMapping) : null;
  const labels = checkRunLabels(version.classes, params.labels ?? fromMapping?.labels);
  const truthLabels = truthLabelsOf(labels, version.classes);
  const abstainLabel = checkAbstainLabel(labels, version.classes, params.abstainLabel ?? fromMapping?.abstain);
  const device = params.device ?? 'cpu';
  let dtype: string | null = null;
  let mappingJson: string | null = null;
  if (isClassifier) {
    if (device !== 'cpu') throw invalid('Classifier evals run on the CPU; use device "cpu"');
    if (params.dtype !== undefined && params.dtype !== null) throw invalid('dtype applies to vision-language models, not classifiers');
    const mapping = await resolveRunMapping(model.path, labels, params.classMapping ?? null, lookupMapping);
    mappingJson = mapping === null ? null : JSON.stringify(mapping);
  } else {
    if (params.classMapping) throw invalid('class_mapping applies to classifier evals only');
    dtype = params.dtype ?? model.defaultDtype;
    if (dtype === null || !model.dtypes.includes(dtype)) {
      throw invalid(`Model "${model.name}" has no complete "${String(dtype)}" variant; available: ${model.dtypes.join(', ') || 'none'}`);
    }
  }
  const { systemPrompt, userPrompt } = runPromptTexts(db, params, isClassifier ? { system: '', user: '' } : { system: DEFAULT_SYSTEM_PROMPT, user: DEFAULT_USER_PROMPT });
  if (!isClassifier && userPrompt.trim() === '') throw invalid('The user prompt is empty');

  const all = versionSamples(db, version.id);
  const plan = planSamples(all, params.split, params.seed, null);
  if (plan.length === 0) {
    throw invalid(`Split "${params.split}" of version "${version.name}" has no samples (it has: ${splitSummary(all)}); pick another split or "all"`);
  }
  if (params.nSamples !== null && params.nSamples > plan.length) {
    throw invalid(`n_samples is ${params.nSamples} but split "${params.split}" of version "${version.name}" has only ${plan.length} samples`);
  }
  const rows = params.nSamples === null ? plan : plan.slice(0, params.nSamples);
  const cascade = params.cascade ? await resolveCascade(db, params.cascade, params.mode, labels) : null;
  const datasetName = stmt(db, 'SELECT name FROM datasets WHERE id = ?').pluck(true).get(version.datasetId) as string;
  const config: EvalRunConfig = { modelName: model.name, modelPath: model.path, datasetName, versionName: version.name };

  const runId = db
    .transaction((): number => {
      const id = Number(
        stmt(
          db,
          `INSERT INTO eval_runs (name, dataset_id, version_id, split, model_id, mode, system_prompt, user_prompt, labels_json,
             seed, n_samples, device, dtype, class_mapping_json, status, config_json, created_at, truth_labels_json, abstain_label)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
        ).run(
          params.name.trim(),
          version.datasetId,
          version.id,
          params.split,
          model.id,
          params.mode,
          systemPrompt,
          userPrompt,
          JSON.stringify(labels),
          params.seed,
          params.nSamples,
          device,
          dtype,
          mappingJson,
          JSON.stringify(config),
          nowIso(),
          JSON.stringify(truthLabels),
          abstainLabel,
        ).lastInsertRowid,
      );
      if (cascade !== null) stmt(db, 'UPDATE eval_runs SET cascade_json = ? WHERE id = ?').run(JSON.stringify(cascade), id);
      if (!isClassifier) linkRunPromptVersion(db, id, params.promptVersionId ?? null, systemPrompt, userPrompt);
      const ins = stmt(db, 'INSERT INTO eval_samples (run_id, position, sample_id, image_hash, truth) VALUES (?, ?, ?, ?, ?)');
      rows.forEach((s, position) => ins.run(id, position, s.sampleId, s.imageHash, s.label));
      return id;
    })
    .immediate();
  return getEvalRun(db, runId);
}
