/** Parses eval configs in the seeds' evaluate.py YAML shape (plus studio keys) with line/column and unknown-key errors. */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { EvalDevice, EvalMode, EvalSplit } from '../../shared/eval-types';
import { EVAL_DEVICES, EVAL_MODES } from '../../shared/eval-types';
import { labelSchema } from '../../shared/label-rule';
import { MODEL_DTYPES, type ModelDtype } from '../../shared/model-types';
import { StudioError } from '../errors';

/** A parsed config, before names are resolved against the workspace. */
export interface EvalConfig {
  name?: string;
  seed: number;
  /** Registered model name, Hub repo id of a registered download, or a local model folder. */
  model: string;
  /** Explicit studio mode; null = derived (structured_generation, or the model's kind). */
  mode: EvalMode | null;
  structuredGeneration: boolean | null;
  /** Workspace dataset name. */
  dataset: string;
  /** Version (snapshot) name; null = the latest. */
  datasetVersion: string | null;
  nSamples: number | null;
  split: EvalSplit;
  /** Ordered labels from label_mapping {0: a, 1: b}; null = the version's class order. */
  labels: string[] | null;
  /** candidate_labels given as a list: the ordered candidates offered to the model (a superset of the classes). */
  candidateLabels: string[] | null;
  /** candidate_labels given as a file path (one label per line), resolved against the config's folder. */
  candidateLabelsFile: string | null;
  /** abstain_label: the candidate meaning "the model declined". */
  abstainLabel: string | null;
  systemPrompt: string | null;
  userPrompt: string | null;
  /** A saved prompt version ("cats-dogs v3", or a name for its newest); its texts become the run's prompt. */
  promptVersion?: string | null;
  device: EvalDevice | null;
  dtype: ModelDtype | null;
  classMapping: string | null;
  /** `cascade: {classifier, k, mapping?}`: a classifier proposes top-k labels per image, the VLM picks among them. */
  cascade: CascadeConfig | null;
}

/** The YAML `cascade:` block; `mapping` is label → classifier class indices (omitted = labels matched by name). */
export interface CascadeConfig {
  classifier: string;
  k: number;
  mapping: Record<string, number[]> | null;
}

const text = z.string().min(1, 'must not be empty');
const schema = z.strictObject({
  name: text.optional(),
  seed: z.number().int().min(0).optional(),
  model: text,
  structured_generation: z.boolean().optional(),
  mode: z.enum(EVAL_MODES as [EvalMode, ...EvalMode[]]).optional(),
  dataset: text,
  dataset_version: z.union([text, z.number().transform(String)]).optional(),
  n_samples: z.number().int().positive().nullable().optional(),
  split: z.enum(['train', 'val', 'validation', 'test', 'all']).optional(),
  // The seeds name the HF columns; a studio snapshot has fixed image/label fields, so these are informational.
  image_column: text.optional(),
  label_column: text.optional(),
  label_mapping: z.record(z.string(), labelSchema).optional(),
  // Open label sets: the candidates offered to the model (a list, or a text file with one label per line).
  candidate_labels: z.union([z.array(labelSchema).min(2, 'needs at least 2 labels'), text]).optional(),
  abstain_label: labelSchema.optional(),
  system_prompt: z.string().optional(),
  user_prompt: z.string().optional(),
  prompt_version: text.optional(),
  device: z.enum(EVAL_DEVICES).optional(),
  dtype: z.enum(MODEL_DTYPES).optional(),
  class_mapping: text.optional(),
  cascade: z
    .strictObject({
      classifier: text,
      k: z.number().int().min(1),
      mapping: z.record(z.string(), z.array(z.number().int().min(0))).optional(),
    })
    .optional(),
});

export const EVAL_CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

const invalid = (message: string): StudioError => new StudioError('invalid-args', message);

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${EVAL_CONFIG_KEYS.join(', ')})`;
      }
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** label_mapping keys are the seeds' class indices: exactly 0..k-1, each label once. */
function labelOrder(mapping: Record<string, string>): string[] {
  const entries = Object.entries(mapping);
  const indices = entries.map(([k]) => (/^(0|[1-9]\d*)$/.test(k) ? Number(k) : NaN));
  if (indices.some((i) => Number.isNaN(i))) {
    throw invalid(`Eval config: label_mapping keys must be class indices 0, 1, 2, … (got ${entries.map(([k]) => k).join(', ')})`);
  }
  const labels: string[] = new Array<string>(entries.length);
  entries.forEach(([, label], j) => {
    const i = indices[j];
    if (i >= entries.length) throw invalid(`Eval config: label_mapping indices must run from 0 to ${entries.length - 1} without gaps (found ${i})`);
    labels[i] = label;
  });
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw invalid(`Eval config: label_mapping lists "${dup}" twice`);
  return labels;
}

/** candidate_labels must not list a label twice (the prompt and the probability columns would repeat it). */
export function uniqueCandidates(labels: readonly string[]): string[] {
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw invalid(`Eval config: candidate_labels lists "${dup}" twice`);
  return [...labels];
}

function resolveMode(mode: EvalMode | undefined, structured: boolean | undefined): EvalMode | null {
  if (structured === true && (mode === 'raw' || mode === 'classifier')) {
    throw invalid(`Eval config: structured_generation: true contradicts mode: ${mode}`);
  }
  if (mode !== undefined) return mode;
  if (structured === true) return 'constrained';
  return null;
}

/** Parses and validates YAML text; throws StudioError('invalid-args') with line/column or the offending keys. */
export function parseEvalConfig(yamlText: string): EvalConfig {
  const doc = parseDocument(yamlText);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw invalid(`Eval config is not valid YAML${at}: ${yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) throw invalid('Eval config is empty');
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Eval config must be a YAML mapping of keys (seed:, model:, dataset:, …)');
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`Eval config: ${formatIssues(parsed.error.issues)}`);
  const c = parsed.data;
  const split = c.split === undefined ? 'all' : c.split === 'validation' ? 'val' : c.split;
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    seed: c.seed ?? 0,
    model: c.model.trim(),
    mode: resolveMode(c.mode, c.structured_generation),
    structuredGeneration: c.structured_generation ?? null,
    dataset: c.dataset.trim(),
    datasetVersion: c.dataset_version ?? null,
    nSamples: c.n_samples ?? null,
    split,
    labels: c.label_mapping === undefined ? null : labelOrder(c.label_mapping),
    candidateLabels: Array.isArray(c.candidate_labels) ? uniqueCandidates(c.candidate_labels) : null,
    candidateLabelsFile: typeof c.candidate_labels === 'string' ? c.candidate_labels.trim() : null,
    abstainLabel: c.abstain_label ?? null,
    systemPrompt: c.system_prompt ?? null,
    userPrompt: c.user_prompt ?? null,
    promptVersion: c.prompt_version ?? null,
    device: c.device ?? null,
    dtype: c.dtype ?? null,
    classMapping: c.class_mapping ?? null,
    cascade: c.cascade === undefined ? null : { classifier: c.cascade.classifier.trim(), k: c.cascade.k, mapping: c.cascade.mapping ?? null },
  };
}
