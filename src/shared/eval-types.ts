/** Registered models, eval runs and per-sample eval rows, shared by the eval engine (main) and the report views. */
import type { CascadeParams, CascadeStage1, EvalCascade } from './cascade-types';
import type { EvalMetrics } from './metrics-types';
import type { ModelKind, ModelProvenance } from './model-types';

/** raw = free generation mapped to a label; constrained = label-trie decoding; scored = P(label); classifier = plain ONNX. */
export type EvalMode = 'raw' | 'constrained' | 'scored' | 'classifier';
export const EVAL_MODES: readonly EvalMode[] = ['raw', 'constrained', 'scored', 'classifier'];
/** The modes a vision-language model runs (matrices, quick tries, fine-tune evaluations). */
export const VLM_EVAL_MODES = ['raw', 'constrained', 'scored'] as const satisfies readonly EvalMode[];
export type VlmEvalMode = (typeof VLM_EVAL_MODES)[number];

/** Which snapshot rows an eval draws from; 'all' includes samples with no split. */
export type EvalSplit = 'train' | 'val' | 'test' | 'all';
export const EVAL_SPLITS: readonly EvalSplit[] = ['train', 'val', 'test', 'all'];

/** 'interrupted': the process running it died (kill -9, crash, app closed); resumable. */
export type EvalStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export type EvalDevice = 'cpu' | 'cuda' | 'webgpu';
export const EVAL_DEVICES = ['cpu', 'cuda', 'webgpu'] as const satisfies readonly EvalDevice[];

export interface RegisteredModel {
  id: number;
  name: string;
  kind: ModelKind;
  /** Absolute folder path; the registry never moves or deletes it. */
  path: string;
  /** config.json model_type for VLMs, null for classifiers. */
  architecture: string | null;
  /** Dtype used when an eval names none (VLMs), null for classifiers. */
  defaultDtype: string | null;
  dtypes: string[];
  totalBytes: number;
  provenance: ModelProvenance;
  createdAt: string;
}

export interface EvalRun {
  id: number;
  name: string;
  datasetId: number;
  versionId: number;
  split: EvalSplit;
  /** Null when the model was removed from the registry after the run (history is kept, resume is not possible). */
  modelId: number | null;
  mode: EvalMode;
  systemPrompt: string;
  userPrompt: string;
  /**
   * Ordered CANDIDATE list offered to the model: fixes the prompt's {{labels}} and the probability columns. A superset
   * of the snapshot's classes (e.g. 49 car makers for a 6-make test set, or an "unknown" abstain option).
   */
  labels: string[];
  /** The snapshot's classes in candidate order: the rows of the confusion matrix, the classes metrics cover. */
  truthLabels: string[];
  /** A candidate outside the truth classes meaning "the model declined" (reported as coverage); null = none. */
  abstainLabel: string | null;
  seed: number;
  /** Requested sample count; null = the whole split. */
  nSamples: number | null;
  device: EvalDevice;
  dtype: string | null;
  /** Classifier mode: name of the class mapping (a preset or a saved one; the run stores the JSON it used), null = the model's own labels. */
  classMapping: string | null;
  status: EvalStatus;
  error: string | null;
  metrics: EvalMetrics | null;
  /** Snapshot of the model and dataset names at creation, for history after renames/removals. */
  config: EvalRunConfig;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Rows in the plan, and how many of them have finished (with a prediction or an error). */
  plannedCount: number;
  doneCount: number;
  /** The prompt × model matrix batch this run is a cell of (src/shared/eval-matrix.ts); null for a single run. */
  batchId: number | null;
  /** Cascade run: a classifier proposes its top-k labels per image and the VLM (constrained/scored) picks among them. */
  cascade: EvalCascade | null;
  /** The prompt version the run used (VLM modes; a saved version, or the ad-hoc one found by exact text); null for classifiers. */
  promptVersionId: number | null;
  /** "cats-dogs v3" / "unsaved v2", null when there is no version. */
  promptVersionName: string | null;
}

export interface EvalRunConfig {
  modelName: string;
  modelPath: string;
  datasetName: string;
  versionName: string;
}

export interface EvalSampleRow {
  position: number;
  sampleId: number;
  imageHash: string;
  originalPath: string;
  truth: string;
  /** A label, or null for off-label / errored / not yet run. */
  prediction: string | null;
  rawOutput: string | null;
  /** Aligned with EvalRun.labels (scored and classifier modes). */
  probabilities: number[] | null;
  latencyMs: number | null;
  error: string | null;
  done: boolean;
  /** Classifier runs: model probability mass outside every explicitly mapped class (null for VLM runs and old rows). */
  oodMass?: number | null;
  /** Classifier runs: the model's own top-1 class name. */
  modelTop1?: string | null;
  /** Cascade runs: the classifier's top-k proposals for this sample (null otherwise or when stage 1 failed). */
  stage1: CascadeStage1 | null;
  /** Cascade runs: stage 1's share of latencyMs (latencyMs is both stages together). */
  stage1LatencyMs: number | null;
}

export interface CreateEvalParams {
  name: string;
  versionId: number;
  split: EvalSplit;
  modelId: number;
  mode: EvalMode;
  /** Defaults to the shared default prompts (VLM modes). */
  systemPrompt?: string;
  userPrompt?: string;
  /** Candidate order; must contain every class of the version (may add more). Defaults to the version's class order. */
  labels?: string[];
  /** One of `labels` outside the version's classes meaning "declined"; null/omitted = no abstain option. */
  abstainLabel?: string | null;
  seed: number;
  nSamples: number | null;
  device?: EvalDevice;
  /** VLM dtype; defaults to the model's default dtype. */
  dtype?: string | null;
  classMapping?: string | null;
  /** Makes a cascade run (mode constrained or scored): the classifier's top-k labels per image are the VLM's only choices. */
  cascade?: CascadeParams | null;
  /** A saved prompt version: its texts are the run's prompt (systemPrompt/userPrompt, when given, must equal them). */
  promptVersionId?: number | null;
}
