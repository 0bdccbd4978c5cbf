/** The New fine-tune form's state as typed (strings for numbers, so half-typed input is kept) and its one mapping onto a FinetuneSpec. */
import {
  defaultHyperparams,
  FINETUNE_HYPERPARAM_KEYS,
  finetuneHyperparamsSchema,
  type FinetuneBackendKind,
  type FinetuneHyperparams,
  type FinetuneSpecInput,
  type ModalGpu,
  isFinetunableArchitecture,
} from '../../../shared/finetune-types';
import type { RegisteredModel, VlmEvalMode } from '../../../shared/eval-types';
import type { FinetuneYamlImport } from '../../../shared/ipc-contract-finetunes';
import { labelProblem } from '../../../shared/label-rule';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../../shared/prompt-template';

export type HyperparamKey = keyof FinetuneHyperparams;
/** Every hyperparameter as the inputs hold it: booleans as booleans, lists as "a, b, c", the rest as text. */
export type HyperparamInputs = Record<HyperparamKey, string | boolean>;
export type EvalModeChoice = VlmEvalMode;

export interface NewFinetuneForm {
  baseModelId: number | null;
  versionId: number | null;
  outputName: string;
  systemPrompt: string;
  userPrompt: string;
  /** Comma-separated label order; blank = the snapshot's classes. */
  labels: string;
  hp: HyperparamInputs;
  backend: FinetuneBackendKind;
  hostId: number | null;
  modalGpu: ModalGpu;
  modalTimeout: string;
  evaluate: boolean;
  /** null: create a baseline (or reuse the one main finds). */
  baselineRunId: number | null;
  evalMode: EvalModeChoice;
  /** The imported seeds' YAML text (validation reports its moot keys; export rewrites only changed keys). */
  yamlSource: string | null;
}

/** The keys shown without opening "Advanced" (the ones the seeds' configs change most). */
export const COMMON_HYPERPARAMS: readonly HyperparamKey[] = [
  'learning_rate',
  'num_train_epochs',
  'max_steps',
  'batch_size',
  'gradient_accumulation_steps',
  'lora_r',
  'lora_alpha',
  'lora_target_modules',
  'optim',
];
export const ADVANCED_HYPERPARAMS: readonly HyperparamKey[] = FINETUNE_HYPERPARAM_KEYS.filter((k) => !COMMON_HYPERPARAMS.includes(k));

/** Hyperparameters → input values (numbers printed the way the seeds write them: 5e-4 stays 0.0005 as JS prints it). */
export function hyperparamInputs(hp: FinetuneHyperparams): HyperparamInputs {
  const out = {} as HyperparamInputs;
  for (const key of FINETUNE_HYPERPARAM_KEYS) {
    const v = hp[key];
    // A nullable number (save_steps: null = every eval_steps) is an empty input.
    out[key] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.join(', ') : v === null ? '' : String(v);
  }
  return out;
}

export function initialForm(): NewFinetuneForm {
  return {
    baseModelId: null,
    versionId: null,
    outputName: '',
    systemPrompt: DEFAULT_SYSTEM_PROMPT,
    userPrompt: DEFAULT_USER_PROMPT,
    labels: '',
    hp: hyperparamInputs(defaultHyperparams()),
    backend: 'local',
    hostId: null,
    modalGpu: 'A10G',
    modalTimeout: '240',
    evaluate: true,
    baselineRunId: null,
    evalMode: 'constrained',
    yamlSource: null,
  };
}

/** Field name → what is wrong with it (fields: base, snapshot, labels, outputName, userPrompt, host, modalTimeout, or a hyperparameter key). */
export type FieldErrors = Record<string, string>;

export const splitList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

const DEFAULTS = defaultHyperparams();

/** Typed inputs → hyperparameters, each bad field named (zod's own messages, e.g. "Too small: expected number to be >0"). */
export function parseHyperparams(hp: HyperparamInputs): { value: FinetuneHyperparams | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const raw: Record<string, unknown> = {};
  for (const key of FINETUNE_HYPERPARAM_KEYS) {
    const v = hp[key];
    const dflt = DEFAULTS[key];
    if (typeof dflt === 'boolean') raw[key] = v === true;
    else if (Array.isArray(dflt)) raw[key] = splitList(String(v));
    else if (typeof dflt === 'number' || dflt === null) {
      const text = String(v).trim();
      const n = Number(text);
      if (text === '' && dflt === null) raw[key] = null;
      else if (text === '' || !Number.isFinite(n)) errors[key] = dflt === null ? 'a number, or empty for the default' : 'a number';
      else raw[key] = n;
    } else raw[key] = v;
  }
  const parsed = finetuneHyperparamsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'hyperparams');
      if (!(key in errors)) errors[key] = issue.message;
    }
  }
  return Object.keys(errors).length > 0 || !parsed.success ? { value: null, errors } : { value: parsed.data, errors };
}

/** The hyperparameters with each bad field at its default: main can still check the rest (the LoRA list) while one field is being fixed. */
export function lenientHyperparams(hp: HyperparamInputs): FinetuneHyperparams {
  const { value, errors } = parseHyperparams(hp);
  if (value) return value;
  const fixed = { ...hp };
  for (const key of Object.keys(errors) as HyperparamKey[]) fixed[key] = hyperparamInputs(DEFAULTS)[key];
  return parseHyperparams(fixed).value ?? DEFAULTS;
}

/** The spec to ask main about while the form still has field errors (null until a base and a snapshot are chosen). */
export function specForValidation(f: NewFinetuneForm): FinetuneSpecInput | null {
  const { spec, errors } = formToSpec(f);
  if (spec) return spec;
  if (f.baseModelId === null || f.versionId === null) return null;
  const labels = splitList(f.labels);
  return {
    baseModelId: f.baseModelId,
    versionId: f.versionId,
    systemPrompt: f.systemPrompt,
    userPrompt: f.userPrompt.trim() === '' ? '{{labels}}' : f.userPrompt,
    labels: errors.labels || labels.length === 0 ? null : labels,
    hyperparams: lenientHyperparams(f.hp),
  };
}

/** The whole form → the spec finetunes:validate/create take, or the fields that stop it from being one. */
export function formToSpec(f: NewFinetuneForm): { spec: FinetuneSpecInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (f.baseModelId === null) errors.base = 'Pick the base model to fine-tune.';
  if (f.versionId === null) errors.snapshot = 'Pick a dataset snapshot (Data → Snapshot makes one).';
  if (f.userPrompt.trim() === '') errors.userPrompt = 'The user prompt is empty.';
  const labels = splitList(f.labels);
  if (labels.length > 0) {
    const bad = labels.map(labelProblem).find((p) => p !== null);
    if (bad) errors.labels = bad;
    else if (labels.length < 2) errors.labels = 'At least two labels (or blank for the snapshot’s classes).';
    else if (new Set(labels).size !== labels.length) errors.labels = 'A label is listed twice.';
  }
  const { value: hyperparams, errors: hpErrors } = parseHyperparams(f.hp);
  Object.assign(errors, hpErrors);
  if (f.backend === 'ssh' && f.hostId === null) errors.host = 'Pick or add an SSH host.';
  const timeout = Number(f.modalTimeout);
  if (f.backend === 'modal' && !(Number.isInteger(timeout) && timeout >= 5 && timeout <= 24 * 60)) errors.modalTimeout = 'Whole minutes from 5 to 1440.';
  if (Object.keys(errors).length > 0 || !hyperparams || f.baseModelId === null || f.versionId === null) return { spec: null, errors };
  const backend =
    f.backend === 'ssh' ? { kind: 'ssh' as const, hostId: f.hostId as number } : f.backend === 'modal' ? { kind: 'modal' as const, gpu: f.modalGpu, timeoutMinutes: timeout } : { kind: 'local' as const };
  const spec: FinetuneSpecInput = {
    baseModelId: f.baseModelId,
    versionId: f.versionId,
    ...(f.outputName.trim() ? { outputName: f.outputName.trim() } : {}),
    systemPrompt: f.systemPrompt,
    userPrompt: f.userPrompt,
    labels: labels.length > 0 ? labels : null,
    hyperparams,
    backend,
    evaluate: { enabled: f.evaluate, baselineRunId: f.evaluate ? f.baselineRunId : null, mode: f.evalMode },
    resumeFrom: null,
  };
  return { spec, errors };
}

/** Which field a finetunes:validate error belongs to (its messages name the base, the LoRA list, the snapshot or the labels). */
export function fieldOfServerError(message: string, baseName: string | null): string {
  if (message.includes('lora_target_modules')) return 'lora_target_modules';
  if ((baseName !== null && message.startsWith(`"${baseName}"`)) || /\bmodel\b/i.test(message.split(':')[0] ?? '')) return 'base';
  if (message.includes('label list')) return 'labels';
  if (/snapshot|version/i.test(message)) return 'snapshot';
  return 'form';
}

/** Why a registered model cannot be a base, as far as the renderer can tell (PyTorch weights are checked by main's validation). */
export function baseKindProblem(model: RegisteredModel): string | null {
  if (model.kind !== 'vlm') return 'an ONNX classifier, not a VLM';
  if (!isFinetunableArchitecture(model.architecture)) return `${model.architecture ?? 'unknown'}: the trainer fine-tunes LFM2-VL and SmolVLM only`;
  return null;
}

/** A seeds' model_name → the registered model it names (by name or Hub repo id), if any. */
export function findModelByName(models: readonly RegisteredModel[], name: string): RegisteredModel | undefined {
  const lower = name.toLowerCase();
  return models.find((m) => m.name.toLowerCase() === lower || m.provenance.repoId?.toLowerCase() === lower) ?? models.find((m) => lower.endsWith(`/${m.name.toLowerCase()}`));
}

/** What an imported seeds' YAML changes in the form, and a note on its model_name (matched to a registered model or not). */
export function applyImport(
  imp: Pick<FinetuneYamlImport, 'modelName' | 'labels' | 'systemPrompt' | 'userPrompt' | 'hyperparams'>,
  models: readonly RegisteredModel[],
  yaml: string,
): { patch: Partial<NewFinetuneForm>; modelNote: string | null } {
  const patch: Partial<NewFinetuneForm> = { hp: hyperparamInputs(imp.hyperparams), yamlSource: yaml };
  if (imp.systemPrompt !== null) patch.systemPrompt = imp.systemPrompt;
  if (imp.userPrompt !== null) patch.userPrompt = imp.userPrompt;
  if (imp.labels !== null) patch.labels = imp.labels.join(', ');
  let modelNote: string | null = null;
  if (imp.modelName !== null) {
    const found = findModelByName(models, imp.modelName);
    if (found) {
      patch.baseModelId = found.id;
      modelNote = `model_name ${imp.modelName} → the registered model “${found.name}”.`;
    } else modelNote = `model_name ${imp.modelName} is not a registered model: download or register it on the Models page, or pick another base.`;
  }
  return { patch, modelNote };
}
