/** Parses `studio eval --matrix` YAML: the single-run config's common keys plus prompts:, models: and modes: lists. */
import { z } from 'zod';
import type { EvalDevice, EvalSplit } from '../../shared/eval-types';
import { EVAL_DEVICES } from '../../shared/eval-types';
import { MATRIX_MODES, type BatchPromptInput, type MatrixMode } from '../../shared/eval-matrix';
import { labelSchema } from '../../shared/label-rule';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../shared/prompt-template';
import { MODEL_DTYPES, type ModelDtype } from '../../shared/model-types';
import { StudioError } from '../errors';
import { formatLocatedIssues, parseYamlMapping } from './yaml-located';

/** A matrix row as written: inline texts, or a saved prompt version by name ("cats-dogs v2"; resolved with the workspace). */
export type MatrixConfigPrompt = Extract<BatchPromptInput, { kind: 'inline' }> | { kind: 'version-ref'; ref: string };

/** A parsed matrix config, before names are resolved against the workspace. */
export interface MatrixConfig {
  name: string | null;
  dataset: string;
  datasetVersion: string | null;
  split: EvalSplit;
  seed: number;
  nSamples: number | null;
  /** Candidate label order; null = the snapshot's class order. */
  labels: string[] | null;
  device: EvalDevice | null;
  dtype: ModelDtype | null;
  prompts: MatrixConfigPrompt[];
  /** Registered model names, Hub repo ids of registered downloads, or model folders (as in the single-run config). */
  models: string[];
  modes: MatrixMode[];
}

const text = z.string().min(1, 'must not be empty');
// A prompt row: inline texts (omitted ones take the studio defaults), or `prompt_version: "cats-dogs v2"` alone.
const promptSchema = z.strictObject({
  name: z.union([text, z.number().transform(String)]).optional(),
  system_prompt: z.string().optional(),
  user_prompt: text.optional(),
  prompt_version: z.union([text, z.number().transform(String)]).optional(),
});
const schema = z.strictObject({
  name: text.optional(),
  dataset: text,
  dataset_version: z.union([text, z.number().transform(String)]).optional(),
  split: z.enum(['train', 'val', 'validation', 'test', 'all']).optional(),
  seed: z.number().int().min(0).optional(),
  n_samples: z.number().int().positive().nullable().optional(),
  labels: z.array(labelSchema).min(2, 'needs at least two labels').optional(),
  device: z.enum(EVAL_DEVICES).optional(),
  dtype: z.enum(MODEL_DTYPES).optional(),
  prompts: z.array(promptSchema).min(1, 'needs at least one prompt'),
  models: z.array(z.union([text, z.number().transform(String)])).min(1, 'needs at least one model'),
  modes: z.array(z.enum(MATRIX_MODES)).min(1, 'needs at least one mode'),
});

export const MATRIX_CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);
export const MATRIX_PROMPT_KEYS: readonly string[] = Object.keys(promptSchema.shape);

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

function duplicateIndex(items: readonly string[]): number {
  return items.findIndex((x, i) => items.indexOf(x) !== i);
}

/** Parses and validates matrix YAML; throws StudioError('invalid-args') naming the key, its line/column or the unknown keys. */
export function parseMatrixConfig(yamlText: string): MatrixConfig {
  const { value, at } = parseYamlMapping(yamlText, 'Matrix config', 'dataset:, prompts:, models:, modes:, …');
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalid(`Matrix config: ${formatLocatedIssues(parsed.error.issues, at, (path) => (path[0] === 'prompts' ? MATRIX_PROMPT_KEYS : MATRIX_CONFIG_KEYS))}`);
  }
  const c = parsed.data;
  for (const [i, p] of c.prompts.entries()) {
    const where = `Matrix config: prompts.${i}${at(['prompts', i])}`;
    if (p.prompt_version === undefined && p.name === undefined) throw invalid(`${where}: needs a name (with inline texts) or a prompt_version ("name vN")`);
    if (p.prompt_version !== undefined && (p.name !== undefined || p.system_prompt !== undefined || p.user_prompt !== undefined)) {
      throw invalid(`${where}: prompt_version takes the saved version's name and texts; leave out name, system_prompt and user_prompt`);
    }
  }
  const names = c.prompts.map((p) => (p.prompt_version ?? p.name ?? '').trim());
  const checks: [string, readonly string[]][] = [
    ['prompts', names],
    ['models', c.models],
    ['modes', c.modes],
    ['labels', c.labels ?? []],
  ];
  for (const [key, items] of checks) {
    const i = duplicateIndex(items);
    if (i >= 0) {
      const path = key === 'prompts' ? [key, i, c.prompts[i].prompt_version !== undefined ? 'prompt_version' : 'name'] : [key, i];
      throw invalid(`Matrix config: ${path.join('.')}${at(path)}: "${items[i]}" is listed twice`);
    }
  }
  return {
    name: c.name ?? null,
    dataset: c.dataset.trim(),
    datasetVersion: c.dataset_version ?? null,
    split: c.split === undefined ? 'all' : c.split === 'validation' ? 'val' : c.split,
    seed: c.seed ?? 0,
    nSamples: c.n_samples ?? null,
    labels: c.labels ?? null,
    device: c.device ?? null,
    dtype: c.dtype ?? null,
    prompts: c.prompts.map(
      (p, i): MatrixConfigPrompt =>
        p.prompt_version !== undefined
          ? { kind: 'version-ref', ref: names[i] }
          : { kind: 'inline', name: names[i], systemPrompt: p.system_prompt ?? DEFAULT_SYSTEM_PROMPT, userPrompt: p.user_prompt ?? DEFAULT_USER_PROMPT },
    ),
    models: c.models.map((m) => m.trim()),
    modes: c.modes,
  };
}
