/** Checks a fine-tune spec against the workspace before any job starts: the base can be trained, the LoRA list wraps something, the snapshot has train samples and fitting labels. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isFinetunableArchitecture, type FinetuneKeyWarning, type FinetuneSpec, type FinetuneValidation, type LoraTargetMatch } from '../../shared/finetune-types';
import type { RegisteredModel } from '../../shared/eval-types';
import type { Db } from '../db/open-database';
import { StudioError } from '../errors';
import { readVersionForExport } from '../exports/version-rows';
import { getModel } from '../models/model-registry';
import { baselineRunProblem, noTestSplitReason } from './finetune-baseline';
import { getHost } from '../ssh/host-store';
import { loraTargetsFor } from './lora-targets';
import { findMobilenet, isMiniVlm } from './mini-vlm';

/** Why the spec's backend cannot run it (null: it can). Modal needs nothing here: its CLI and login are checked when the job runs. */
function backendProblem(db: Db, spec: FinetuneSpec): string | null {
  switch (spec.backend.kind) {
    case 'local':
      return null;
    case 'ssh':
      try {
        getHost(db, spec.backend.hostId);
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    case 'modal':
      return null;
  }
}

/** The trainer loads PyTorch weights: a registered LFM2-VL or SmolVLM folder must carry them beside its ONNX sessions. */
export function baseModelProblem(model: RegisteredModel): string | null {
  if (model.kind !== 'vlm' || !isFinetunableArchitecture(model.architecture)) {
    return `"${model.name}" is a ${model.architecture ?? model.kind} model; fine-tuning supports LFM2-VL (lfm2_vl) and SmolVLM (smolvlm, idefics3) bases`;
  }
  if (!['model.safetensors', 'model.safetensors.index.json'].some((f) => existsSync(join(model.path, f)))) {
    return `"${model.name}" (${model.path}) has no PyTorch weights (model.safetensors); the trainer needs them beside the ONNX files`;
  }
  return null;
}

export function validateFinetune(db: Db, spec: FinetuneSpec, warnings: FinetuneKeyWarning[] = []): FinetuneValidation {
  const errors: string[] = [];
  let targets: LoraTargetMatch[] = [];
  let wrappedCount = 0;
  let base: RegisteredModel | null = null;
  try {
    base = getModel(db, spec.baseModelId);
  } catch (e) {
    errors.push((e as Error).message);
  }
  const problem = base ? baseModelProblem(base) : null;
  if (problem) errors.push(problem);
  const backend = backendProblem(db, spec);
  if (backend) errors.push(backend);
  // A mini VLM trains its projector and the LM's LoRA; its vision encoder (MobileNetV2) stays frozen.
  const mini = base !== null && isMiniVlm(base.path);
  if (mini) {
    try {
      findMobilenet();
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  if (base && isFinetunableArchitecture(base.architecture)) {
    try {
      const r = loraTargetsFor(base.path, spec.hyperparams.lora_target_modules, spec.hyperparams.lora_vision && !mini);
      targets = r.matches;
      wrappedCount = r.wrapped;
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  let trainSamples = 0;
  let valSamples = 0;
  let labels: string[] = [];
  try {
    const version = readVersionForExport(db, spec.versionId);
    const used = version.samples.filter((s) => s.split === 'train' || s.split === 'val');
    trainSamples = used.filter((s) => s.split === 'train').length;
    valSamples = used.length - trainSamples;
    labels = spec.labels ?? version.classes;
    if (trainSamples === 0) errors.push(`snapshot "${version.name}" has no train samples; assign splits before fine-tuning`);
    const stray = [...new Set(used.map((s) => s.label))].filter((l) => !labels.includes(l));
    if (stray.length > 0) errors.push(`the snapshot has samples labelled ${stray.map((l) => `"${l}"`).join(', ')}, which the label list lacks`);
    if (valSamples === 0) warnings = [...warnings, { key: 'eval_steps', fate: 'mapped', message: 'the snapshot has no val samples: no eval_loss is computed' }];
  } catch (e) {
    errors.push((e as Error).message);
  }
  const baselineProblem = baselineRunProblem(db, spec);
  if (baselineProblem) errors.push(baselineProblem);
  const noTest = noTestSplitReason(db, spec);
  if (noTest) warnings = [...warnings, { key: 'evaluate', fate: 'studio-only', message: `the automatic evaluation will be skipped: ${noTest}` }];
  return { ok: errors.length === 0, errors, warnings, targets, wrappedCount, trainSamples, valSamples, labels };
}

/** Throws the validation's errors as one invalid-args error; returns it when the spec can start. */
export function assertFinetuneValid(db: Db, spec: FinetuneSpec): FinetuneValidation {
  const v = validateFinetune(db, spec);
  if (!v.ok) throw new StudioError('invalid-args', `Cannot start the fine-tune: ${v.errors.join('; ')}`);
  return v;
}
