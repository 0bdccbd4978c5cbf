/** The seeds' fine-tune YAML in and out, verbatim: their keys map onto the spec, the ones a snapshot makes moot become warnings a UI can show. */
import { parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { finetuneHyperparamsSchema, FINETUNE_HYPERPARAM_KEYS, type FinetuneHyperparams, type FinetuneKeyWarning } from '../../shared/finetune-types';
import type { FinetuneYamlImport } from '../../shared/ipc-contract-finetunes';
import { labelSchema } from '../../shared/label-rule';
import { StudioError } from '../errors';

/** Every seeds' key that is not a hyperparameter: what becomes of it in the studio. */
export const SEED_KEY_FATES: Readonly<Record<string, Omit<FinetuneKeyWarning, 'key'>>> = {
  model_name: { fate: 'mapped', message: 'the base model: a registered model with this name or Hub repo id (or --base)' },
  dataset_name: { fate: 'moot', message: "the snapshot decides this: its images and labels are the data (a workspace dataset, or --dataset)" },
  dataset_samples: { fate: 'moot', message: "the snapshot's train split decides this: every train sample is used" },
  dataset_image_column: { fate: 'moot', message: 'the snapshot decides this: a snapshot has a fixed image field' },
  dataset_label_colum: { fate: 'moot', message: 'the snapshot decides this: a snapshot has a fixed label field' },
  dataset_label_column: { fate: 'moot', message: 'the snapshot decides this: a snapshot has a fixed label field' },
  train_split_ratio: { fate: 'moot', message: "the snapshot's splits decide this: train trains, val gives eval_loss" },
  label_mapping: { fate: 'mapped', message: 'the label order {{labels}} shows; every label must be one of the snapshot\'s classes' },
  system_prompt: { fate: 'mapped', message: 'the system prompt of every training conversation' },
  user_prompt: { fate: 'mapped', message: 'the user prompt of every training conversation ({{labels}} expands to the label list)' },
  wandb_project: { fate: 'moot', message: 'the studio records metrics itself (metrics.jsonl, the job); nothing is sent to Weights & Biases' },
};
const STUDIO_ONLY = new Set(['max_steps', 'lora_vision', 'save_steps', 'save_total_limit']);

/** A parsed seeds' YAML before names are resolved against the workspace. */
export interface FinetuneYaml extends FinetuneYamlImport {
  /** The text as read, kept so an unchanged export is byte for byte the same. */
  source: string;
}

const invalid = (message: string) => new StudioError('invalid-args', `Fine-tune config: ${message}`);
const known = new Set<string>([...FINETUNE_HYPERPARAM_KEYS, ...Object.keys(SEED_KEY_FATES)]);

/** label_mapping {0: cat, 1: dog} → ['cat', 'dog']: keys must be 0..k-1. */
function labelOrder(mapping: unknown): string[] {
  const m = z.record(z.string(), labelSchema).safeParse(mapping);
  if (!m.success) throw invalid('label_mapping must map class indices to labels ({0: cat, 1: dog})');
  const labels: string[] = [];
  for (const [k, v] of Object.entries(m.data)) {
    const i = /^(0|[1-9]\d*)$/.test(k) ? Number(k) : -1;
    if (i < 0 || i >= Object.keys(m.data).length) throw invalid(`label_mapping keys must be 0..${Object.keys(m.data).length - 1} (got ${k})`);
    labels[i] = v;
  }
  if (new Set(labels).size !== labels.length) throw invalid('label_mapping lists a label twice');
  return labels;
}

function readDocument(text: string): Document {
  const doc = parseDocument(text);
  const e = doc.errors[0];
  if (e) throw invalid(`not valid YAML${e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : ''}`);
  return doc;
}

const str = (v: unknown, key: string): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(`${key} must be text`);
  return v;
};

/** Parses the seeds' fine-tune YAML (plus max_steps, lora_vision); unknown keys are refused, never ignored. */
export function parseFinetuneYaml(text: string): FinetuneYaml {
  const raw: unknown = readDocument(text).toJS();
  if (raw === null || raw === undefined) throw invalid('the file is empty');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('expected a YAML mapping of keys (learning_rate:, lora_r:, …)');
  const obj = raw as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !known.has(k));
  if (unknown.length > 0) throw invalid(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const hp: Record<string, unknown> = {};
  for (const k of FINETUNE_HYPERPARAM_KEYS) if (k in obj) hp[k] = typeof obj[k] === 'string' && /^[-+]?[\d.]+e[-+]?\d+$/i.test(obj[k]) ? Number(obj[k]) : obj[k];
  const parsed = finetuneHyperparamsSchema.safeParse(hp);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const warnings: FinetuneKeyWarning[] = Object.keys(obj).flatMap((key): FinetuneKeyWarning[] => {
    const fate = SEED_KEY_FATES[key];
    if (fate) return [{ key, ...fate }];
    if (STUDIO_ONLY.has(key)) return [{ key, fate: 'studio-only', message: 'a studio key the seeds\' fine_tune.py does not read' }];
    return [];
  });
  return {
    modelName: str(obj.model_name, 'model_name'),
    datasetName: str(obj.dataset_name, 'dataset_name'),
    labels: obj.label_mapping === undefined ? null : labelOrder(obj.label_mapping),
    systemPrompt: str(obj.system_prompt, 'system_prompt'),
    userPrompt: str(obj.user_prompt, 'user_prompt'),
    hyperparams: parsed.data,
    warnings,
    source: text,
  };
}

/** What an export writes: the spec's values under the seeds' keys. */
export interface FinetuneYamlValues {
  modelName: string | null;
  labels: string[] | null;
  systemPrompt: string;
  userPrompt: string;
  hyperparams: FinetuneHyperparams;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes the seeds' YAML. With the imported source, only keys whose value changed are rewritten (comments, order,
 * number spelling and block scalars stay as they were), so an unchanged spec exports the source byte for byte.
 */
export function exportFinetuneYaml(values: FinetuneYamlValues, source?: string): string {
  const before = source === undefined ? null : parseFinetuneYaml(source);
  const doc = source === undefined ? readDocument('') : readDocument(source);
  if (source === undefined) doc.contents = doc.createNode({});
  const set = (key: string, value: unknown, old: unknown) => {
    if (before && same(value, old)) return;
    if (value === null) doc.delete(key);
    else doc.set(key, value);
  };
  set('seed', values.hyperparams.seed, before?.hyperparams.seed);
  set('model_name', values.modelName, before?.modelName);
  // A Map keeps the seeds' integer class indices as YAML integers (0: cat), not strings.
  const mapping = values.labels ? new Map(values.labels.map((l, i) => [i, l])) : null;
  if (!before || !same(values.labels, before.labels)) set('label_mapping', mapping, undefined);
  set('system_prompt', values.systemPrompt, before?.systemPrompt ?? '');
  set('user_prompt', values.userPrompt, before?.userPrompt);
  for (const k of FINETUNE_HYPERPARAM_KEYS) {
    if (k === 'seed') continue;
    // Studio-only keys at their defaults stay out of a fresh file, so the seeds' fine_tune.py reads it as is.
    if (!before && STUDIO_ONLY.has(k) && same(values.hyperparams[k], finetuneHyperparamsSchema.shape[k].parse(undefined))) continue;
    set(k, values.hyperparams[k], before?.hyperparams[k]);
  }
  return doc.toString();
}
