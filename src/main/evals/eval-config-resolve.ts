/** Resolves a parsed eval config against a workspace (dataset → snapshot, model → registry) and writes runs back as YAML. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CreateEvalParams, RegisteredModel } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { stmt } from '../db/statement-cache';
import { StudioError } from '../errors';
import { findModelByName, findModelByPath, getModel, listModels, registerModel } from '../models/model-registry';
import { candidateListProblem, parseCandidateList } from '../../shared/candidate-labels';
import { uniqueCandidates, type EvalConfig } from './eval-config';
import { getEvalRun } from './eval-store';
import { runStoredCascade, storedMappingInput } from './cascade-plan';
import { getPromptVersion, resolvePromptVersion } from '../prompts/prompt-store';

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

export interface ResolveOptions {
  /** Folder that relative model paths are resolved against (the config file's folder). */
  baseDir?: string;
  /** Overrides the config's name (e.g. the CLI's --name). */
  name?: string;
}

export function findDataset(db: Db, name: string): { id: number; name: string } {
  const row = stmt(db, 'SELECT id, name FROM datasets WHERE name = ?').get(name) as { id: number; name: string } | undefined;
  if (row) return row;
  const names = stmt(db, 'SELECT name FROM datasets ORDER BY name').pluck(true).all() as string[];
  throw new StudioError('not-found', `No dataset named "${name}" in this workspace (datasets: ${names.join(', ') || 'none'})`);
}

export function findVersion(db: Db, dataset: { id: number; name: string }, versionName: string | null): { id: number; name: string } {
  if (versionName === null) {
    const latest = stmt(db, 'SELECT id, name FROM dataset_versions WHERE dataset_id = ? AND id NOT IN (SELECT version_id FROM derived_versions) ORDER BY id DESC LIMIT 1').get(dataset.id) as
      | { id: number; name: string }
      | undefined;
    if (!latest) {
      throw invalid(`Dataset "${dataset.name}" has no snapshot yet; create one (studio snapshot --dataset "${dataset.name}" --name v1) before evaluating`);
    }
    return latest;
  }
  const row = stmt(db, 'SELECT id, name FROM dataset_versions WHERE dataset_id = ? AND name = ?').get(dataset.id, versionName) as
    | { id: number; name: string }
    | undefined;
  if (row) return row;
  const names = stmt(db, 'SELECT name FROM dataset_versions WHERE dataset_id = ? ORDER BY id').pluck(true).all(dataset.id) as string[];
  throw new StudioError('not-found', `Dataset "${dataset.name}" has no snapshot named "${versionName}" (snapshots: ${names.join(', ') || 'none'})`);
}

/** A free registry name for an on-the-fly registration: the folder name, then "name-2", "name-3", … */
function freeName(db: Db, base: string): string {
  if (!findModelByName(db, base)) return base;
  for (let i = 2; ; i++) if (!findModelByName(db, `${base}-${i}`)) return `${base}-${i}`;
}

/** Registered name, then the Hub repo id of a registered download, then a local folder (registered on the fly). */
export async function resolveModel(db: Db, ref: string, baseDir: string): Promise<RegisteredModel> {
  const byName = findModelByName(db, ref);
  if (byName) return byName;
  const byRepo = listModels(db).filter((m) => m.provenance.repoId === ref);
  if (byRepo.length === 1) return byRepo[0];
  if (byRepo.length > 1) throw invalid(`Several registered models come from ${ref} (${byRepo.map((m) => m.name).join(', ')}); name one`);
  const dir = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    return findModelByPath(db, dir) ?? (await registerModel(db, dir, { name: freeName(db, basename(dir)) }));
  }
  const names = listModels(db).map((m) => m.name);
  throw new StudioError(
    'not-found',
    `Model "${ref}" is neither a registered model (registered: ${names.join(', ') || 'none'}) nor a model folder (${dir} does not exist)`,
  );
}

/** candidate_labels as a file: one label per line ("- " bullets, blank lines and # comments allowed), relative to the config. */
function readCandidateFile(file: string, baseDir: string): string[] {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new StudioError('not-found', `candidate_labels file ${path} does not exist`);
  const labels = parseCandidateList(readFileSync(path, 'utf8'));
  const problem = candidateListProblem(labels);
  if (problem) throw invalid(`candidate_labels file ${path}: ${problem}`);
  if (labels.length < 2) throw invalid(`candidate_labels file ${path} lists ${labels.length} label(s); it needs at least 2`);
  return uniqueCandidates(labels);
}

/**
 * The run's candidate order: candidate_labels when given (label_mapping, if also given, names the dataset's classes
 * and must be among them), else label_mapping, else null (the snapshot's classes).
 */
function candidateOrder(config: EvalConfig, baseDir: string): string[] | null {
  const candidates = config.candidateLabelsFile !== null ? readCandidateFile(config.candidateLabelsFile, baseDir) : config.candidateLabels;
  if (candidates === null) return config.labels;
  const outside = (config.labels ?? []).filter((l) => !candidates.includes(l));
  if (outside.length > 0) throw invalid(`Eval config: label_mapping names ${outside.join(', ')}, which candidate_labels does not list`);
  return candidates;
}

/** Turns a parsed config into createEvalRun parameters (may register a model folder). */
export async function resolveEvalConfig(db: Db, config: EvalConfig, opts: ResolveOptions = {}): Promise<CreateEvalParams> {
  const dataset = findDataset(db, config.dataset);
  const version = findVersion(db, dataset, config.datasetVersion);
  const model = await resolveModel(db, config.model, opts.baseDir ?? process.cwd());
  const labels = candidateOrder(config, opts.baseDir ?? process.cwd());
  const mode = config.mode ?? (model.kind === 'onnx-classifier' ? 'classifier' : 'raw');
  const name = opts.name ?? config.name ?? `${model.name} · ${dataset.name}/${version.name} · ${mode}`;
  return {
    name,
    versionId: version.id,
    split: config.split,
    modelId: model.id,
    mode,
    ...(config.systemPrompt !== null ? { systemPrompt: config.systemPrompt } : {}),
    ...(config.userPrompt !== null ? { userPrompt: config.userPrompt } : {}),
    ...(config.promptVersion ? { promptVersionId: resolvePromptVersion(db, config.promptVersion).id } : {}),
    ...(labels !== null ? { labels } : {}),
    ...(config.abstainLabel !== null ? { abstainLabel: config.abstainLabel } : {}),
    seed: config.seed,
    nSamples: config.nSamples,
    ...(config.device !== null ? { device: config.device } : {}),
    ...(config.dtype !== null ? { dtype: config.dtype } : {}),
    classMapping: config.classMapping,
    ...(config.cascade !== null
      ? {
          cascade: {
            classifierModelId: (await resolveModel(db, config.cascade.classifier, opts.baseDir ?? process.cwd())).id,
            k: config.cascade.k,
            mapping:
              config.cascade.mapping === null
                ? null
                : { name: 'yaml', classes: Object.entries(config.cascade.mapping).map(([label, modelClasses]) => ({ label, modelClasses })) },
          },
        }
      : {}),
  };
}

/** The run's parameters as an eval config in the seeds' YAML shape; parsing it back gives the same run parameters. */
export function exportEvalConfig(db: Db, runId: number): string {
  const run = getEvalRun(db, runId);
  const model = run.modelId === null ? run.config.modelPath : getModel(db, run.modelId).name;
  const datasetName = stmt(db, 'SELECT name FROM datasets WHERE id = ?').pluck(true).get(run.datasetId) as string;
  const versionName = stmt(db, 'SELECT name FROM dataset_versions WHERE id = ?').pluck(true).get(run.versionId) as string;
  const vlm = run.mode !== 'classifier';
  const doc: Record<string, unknown> = {
    name: run.name,
    seed: run.seed,
    model,
    mode: run.mode,
    ...(vlm ? { structured_generation: run.mode === 'constrained' } : {}),
    dataset: datasetName,
    dataset_version: versionName,
    ...(run.nSamples !== null ? { n_samples: run.nSamples } : {}),
    split: run.split,
    // An open label set keeps label_mapping for the dataset's classes and lists every candidate in candidate_labels.
    label_mapping: new Map(run.truthLabels.map((l, i) => [i, l])),
    ...(run.labels.length !== run.truthLabels.length ? { candidate_labels: run.labels } : {}),
    ...(run.abstainLabel !== null ? { abstain_label: run.abstainLabel } : {}),
    ...(vlm || run.systemPrompt !== '' ? { system_prompt: run.systemPrompt } : {}),
    ...(vlm || run.userPrompt !== '' ? { user_prompt: run.userPrompt } : {}),
    ...(savedVersionName(db, run.promptVersionId) !== null ? { prompt_version: savedVersionName(db, run.promptVersionId) } : {}),
    device: run.device,
    ...(run.dtype !== null ? { dtype: run.dtype } : {}),
    ...(run.classMapping !== null ? { class_mapping: run.classMapping } : {}),
    ...cascadeYaml(db, runId),
  };
  return `# Eval run #${run.id} (${run.status}), exported by VLM Classifier Studio\n${stringify(doc, { lineWidth: 0 })}`;
}

/** A cascade run's `cascade:` block: the classifier by registry name (its folder when removed), k and the exact mapping. */
function cascadeYaml(db: Db, runId: number): Record<string, unknown> {
  const stored = runStoredCascade(db, runId);
  if (stored === null) return {};
  const classifier = stmt(db, 'SELECT name FROM models WHERE id = ?').pluck(true).get(stored.classifierModelId) as string | undefined;
  const mapping = Object.fromEntries(storedMappingInput(stored).classes.map((c) => [c.label, c.modelClasses]));
  return { cascade: { classifier: classifier ?? stored.classifierPath, k: stored.k, mapping } };
}

/** "cats-dogs v3" for a saved version (exported beside the texts it equals); null for none or an ad-hoc "unsaved" one. */
function savedVersionName(db: Db, versionId: number | null): string | null {
  if (versionId === null) return null;
  const v = getPromptVersion(db, versionId);
  return v.adHoc ? null : v.displayName;
}
