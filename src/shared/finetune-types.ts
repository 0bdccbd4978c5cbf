/** The fine-tune spec, typed once: main validates it, the job stores it, the YAML maps onto it, the renderer shows it. */
import { VLM_EVAL_MODES } from './eval-types';
import { z } from 'zod';
import { labelSchema } from './label-rule';

/** The seeds' LoRA target list (Llama names; the trainer maps them onto LFM2-VL's own modules). */
export const SEED_LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

/** config.json model_types the trainer fine-tunes (trainer/lfm2vl_trainer/arch.py ARCHES): LFM2-VL and SmolVLM/Idefics3. */
export const FINETUNE_BASE_ARCHITECTURES = ['lfm2_vl', 'smolvlm', 'idefics3'] as const;

/** Whether a registered model's architecture is one the trainer fine-tunes. */
export const isFinetunableArchitecture = (architecture: string | null | undefined): boolean => (FINETUNE_BASE_ARCHITECTURES as readonly (string | null | undefined)[]).includes(architecture);

/** Hyperparameters with the seeds' YAML keys and defaults (trainer/lfm2vl_trainer/config.py reads the same keys). */
export const finetuneHyperparamsSchema = z.strictObject({
  seed: z.number().int().min(0).default(23),
  max_seq_length: z.number().int().positive().default(2048),
  learning_rate: z.number().positive().default(5e-4),
  num_train_epochs: z.number().positive().default(1),
  /** -1: run num_train_epochs; otherwise stop after this many optimizer steps. */
  max_steps: z.number().int().min(-1).default(-1),
  batch_size: z.number().int().positive().default(1),
  gradient_accumulation_steps: z.number().int().positive().default(16),
  /** adamw_8bit needs bitsandbytes + a GPU; the trainer falls back to adamw_torch and the job log says so. */
  optim: z.enum(['adamw_8bit', 'adamw_bnb_8bit', 'paged_adamw_8bit', 'adamw_torch', 'adamw_hf', 'adamw']).default('adamw_8bit'),
  warmup_ratio: z.number().min(0).max(1).default(0.1),
  weight_decay: z.number().min(0).default(0.01),
  logging_steps: z.number().int().positive().default(10),
  eval_steps: z.number().int().positive().default(100),
  /** Checkpoint (weights, optimizer, scheduler, RNG, data position) every this many optimizer steps and at the end; null: eval_steps. */
  save_steps: z.number().int().positive().nullable().default(null),
  /** Checkpoints kept (the newest ones); a stopped job resumes from the newest. */
  save_total_limit: z.number().int().min(1).max(1000).default(2),
  use_peft: z.literal(true, { error: 'use_peft: false (full fine-tuning) is not supported; use LoRA' }).default(true),
  lora_r: z.number().int().positive().default(8),
  lora_alpha: z.number().positive().default(16),
  lora_dropout: z.number().min(0).max(1).default(0.05),
  lora_bias: z.enum(['none', 'all', 'lora_only']).default('none'),
  use_rslora: z.boolean().default(false),
  lora_target_modules: z.array(z.string().trim().min(1).max(100)).min(1).max(64).default([...SEED_LORA_TARGETS]),
  /** Also wrap the vision encoder's matching modules (PEFT's suffix match does so with the seeds' list). */
  lora_vision: z.boolean().default(true),
});
export type FinetuneHyperparams = z.output<typeof finetuneHyperparamsSchema>;
export const FINETUNE_HYPERPARAM_KEYS = Object.keys(finetuneHyperparamsSchema.shape) as (keyof FinetuneHyperparams)[];

export function defaultHyperparams(): FinetuneHyperparams {
  return finetuneHyperparamsSchema.parse({});
}

/** Where a fine-tune trains: this machine (detached process), an SSH host, or Modal (the user's `modal` CLI). */
export const FINETUNE_BACKEND_KINDS = ['local', 'ssh', 'modal'] as const;
export type FinetuneBackendKind = (typeof FINETUNE_BACKEND_KINDS)[number];
/** Modal GPU types a fine-tune can ask for (Modal's own names). */
export const MODAL_GPUS = ['T4', 'L4', 'A10G', 'L40S', 'A100-40GB', 'A100-80GB', 'H100', 'H200'] as const;
export type ModalGpu = (typeof MODAL_GPUS)[number];

export const finetuneBackendSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({ kind: z.literal('ssh'), hostId: z.number().int().positive() }),
  z.strictObject({
    kind: z.literal('modal'),
    gpu: z.enum(MODAL_GPUS).default('A10G'),
    /** Modal kills the function after this long. */
    timeoutMinutes: z.number().int().min(5).max(24 * 60).default(240),
  }),
]);
export type FinetuneBackend = z.output<typeof finetuneBackendSchema>;

/** Eval modes a fine-tune's automatic base-vs-fine-tuned comparison can use. */
export const FINETUNE_EVAL_MODES = VLM_EVAL_MODES;

/** Closing the loop: after registering, evaluate the fine-tune like a baseline run of the base (run that baseline first when there is none). */
export const finetuneEvaluateSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** A done eval run of the base model whose prompt, mode and labels the fine-tune's eval repeats; null: find or create one. */
  baselineRunId: z.number().int().positive().nullable().default(null),
  /** Used when a baseline must be created. */
  mode: z.enum(FINETUNE_EVAL_MODES).default('constrained'),
});
export type FinetuneEvaluate = z.output<typeof finetuneEvaluateSchema>;

/** A fine-tune: the base VLM, the snapshot (train split trains, val gives eval_loss), the prompt and the hyperparameters. */
export const finetuneSpecSchema = z.strictObject({
  /** The registered model to train (an LFM2-VL folder that also carries its PyTorch safetensors). */
  baseModelId: z.number().int().positive(),
  /** The immutable snapshot (dataset version). */
  versionId: z.number().int().positive(),
  /** Name the trained model is registered under (default: base name + job id). */
  outputName: z.string().trim().min(1).max(200).optional(),
  systemPrompt: z.string().max(20_000),
  /** The same template evals use: {{labels}} expands to "- a\n- b". */
  userPrompt: z.string().min(1).max(20_000),
  /** The label order {{labels}} shows (label_mapping's order); null: the snapshot's classes. */
  labels: z.array(labelSchema).min(2).max(1000).nullable().default(null),
  hyperparams: finetuneHyperparamsSchema.default(defaultHyperparams),
  backend: finetuneBackendSchema.default({ kind: 'local' }),
  evaluate: finetuneEvaluateSchema.default(() => finetuneEvaluateSchema.parse({})),
  /** Continue a stopped fine-tune job (same base, snapshot and config) from its last checkpoint, on this spec's backend. */
  resumeFrom: z.strictObject({ jobId: z.string().min(1).max(100) }).nullable().default(null),
});
export type FinetuneSpec = z.output<typeof finetuneSpecSchema>;
export type FinetuneSpecInput = z.input<typeof finetuneSpecSchema>;

/** How a seeds' YAML key lands in the studio: mapped onto the spec, or moot because the snapshot/workspace decides it. */
export type FinetuneKeyFate = 'mapped' | 'moot' | 'studio-only';
export interface FinetuneKeyWarning {
  key: string;
  fate: FinetuneKeyFate;
  message: string;
}

/** One LoRA target name and the base's modules it wraps (e.g. o_proj → text self_attn.out_proj ×6, vision self_attn.out_proj ×12). */
export interface LoraTargetMatch {
  name: string;
  modules: { where: string; count: number }[];
}

export interface FinetuneValidation {
  ok: boolean;
  /** Why the spec cannot start (no job is created while non-empty). */
  errors: string[];
  warnings: FinetuneKeyWarning[];
  targets: LoraTargetMatch[];
  /** Total Linear modules LoRA will wrap. */
  wrappedCount: number;
  trainSamples: number;
  valSamples: number;
  labels: string[];
}

/** What a finished fine-tune job returns: the exported folder, now a registered model, and its metrics summary. */
export interface FinetuneResult {
  modelId: number;
  modelName: string;
  exportDir: string;
  steps: number;
  trainSeconds: number;
  firstTrainLoss: number | null;
  lastTrainLoss: number | null;
  lastEvalLoss: number | null;
  optimizer: string;
}

/** One metrics.jsonl line as the trainer writes it. */
export interface FinetuneMetricLine {
  step: number;
  epoch: number;
  train_loss: number;
  eval_loss?: number;
  lr: number;
  samples_per_s: number;
}

/** Where a fine-tuned model came from, stored with it (provenance.finetune) so it can be reproduced and compared with its base. */
export interface FinetuneLineage {
  baseModelId: number;
  baseModelName: string;
  datasetId: number;
  datasetName: string;
  versionId: number;
  versionName: string;
  systemPrompt: string;
  userPrompt: string;
  labels: string[];
  hyperparams: FinetuneHyperparams;
  jobId: string;
  backend: string;
  /** The optimizer the trainer really used (adamw_8bit falls back to adamw_torch without bitsandbytes + a GPU). */
  optimizer: string;
}

/** The fine-tune's state machine; each reached phase is stamped (finetune_phases). */
export const FINETUNE_PHASES = ['queued', 'uploading', 'running', 'downloading', 'registering', 'evaluating', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type FinetunePhase = (typeof FINETUNE_PHASES)[number];
export interface FinetunePhaseStamp {
  phase: FinetunePhase;
  /** ISO time the phase was entered. */
  at: string;
  detail: string | null;
}

/** The automatic base-vs-fine-tuned evaluation of one fine-tune job (finetune_evals). */
export const FINETUNE_EVAL_STATES = ['pending', 'baseline', 'finetuned', 'done', 'failed', 'skipped'] as const;
export type FinetuneEvalState = (typeof FINETUNE_EVAL_STATES)[number];
export interface FinetuneEvaluation {
  state: FinetuneEvalState;
  baselineRunId: number | null;
  finetunedRunId: number | null;
  error: string | null;
}
