/** Job kinds, statuses, backends and owners — the one list main, workers, CLI and renderer share — with each kind's params and result schemas. */
import { z } from 'zod';
import type { ExportResult, ImportRequest, ExportRequest, ModelDownloadRequest } from './domain';
import type { RegisteredModel } from './eval-types';
import { finetuneSpecSchema, type FinetuneResult, type FinetuneSpec } from './finetune-types';
import { RUNTIME_NAMES, type RuntimeInstallResult, type RuntimeName } from './runtime-types';
import type { DeriveJobResult } from './robustness-types';
import { FINDER_NAMES, finderOptionSchemas, type FinderName } from './finder-types';
import { promptTryJobSchema, promptTryResultSchema, type PromptTryJobParams, type PromptTryResult } from './prompt-try';

export const JOB_KINDS = ['import', 'export', 'eval', 'model-download', 'runtime-install', 'finetune', 'mini-vlm-create', 'robustness-derive', 'find', 'prompt-try'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** 'interrupted': the process driving the job died (app closed or crashed); resumable where the work allows. */
export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const LIVE_JOB_STATUSES = ['queued', 'running'] as const satisfies readonly JobStatus[];
export type LiveJobStatus = (typeof LIVE_JOB_STATUSES)[number];
export type FinishedJobStatus = Exclude<JobStatus, LiveJobStatus>;

export function isLiveJobStatus(status: JobStatus): status is LiveJobStatus {
  return (LIVE_JOB_STATUSES as readonly JobStatus[]).includes(status);
}

/** Where a job's work runs: a worker thread of this process, a detached child process that outlives it, a detached process on an SSH host, or a detached Modal app (cloud). */
export const JOB_BACKENDS = ['thread', 'process', 'ssh', 'modal'] as const;
export type JobBackend = (typeof JOB_BACKENDS)[number];

/** What a job works on or produced, so it is found by an indexed lookup instead of scanning the job list. */
export const JOB_OWNER_KINDS = ['eval-run', 'model'] as const;
export type JobOwnerKind = (typeof JOB_OWNER_KINDS)[number];
export interface JobOwner {
  kind: JobOwnerKind;
  id: number;
}

const positiveId = z.number().int().positive();
const datasetName = z.string().trim().min(1).max(200);

/** Parameters each kind is started with; the IPC contract validates its start channels with these same schemas. */
export const jobParamSchemas = {
  import: z.object({
    source: z.string().min(1).max(4096),
    format: z.enum(['auto', 'imagefolder', 'csv', 'jsonl', 'hf-imagefolder']),
    datasetName,
  }),
  export: z.object({
    versionId: positiveId,
    format: z.enum(['imagefolder', 'csv', 'jsonl-chat']),
    destination: z.string().min(1).max(4096),
    systemPrompt: z.string().max(20_000).optional(),
    userPrompt: z.string().max(20_000).optional(),
  }),
  eval: z.object({ runId: positiveId }),
  'model-download': z.object({
    repoId: z.string().trim().regex(/^[\w.-]+\/[\w.-]+$/, 'repo id looks like owner/name'),
    revision: z.string().trim().min(1).max(200).default('main'),
    dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']),
    name: z.string().trim().min(1).max(200).optional(),
    endpoint: z.string().url().max(500).optional(),
  }),
  'runtime-install': z.object({ runtime: z.enum(RUNTIME_NAMES) }),
  finetune: finetuneSpecSchema,
  /** A mini-VLM base (MobileNetV2 + small LM), built by the trainer's Python export and registered under this name. */
  'mini-vlm-create': z.object({ name: z.string().trim().min(1).max(200) }),
  /** Robustness splits of a snapshot's test split; seed fixes the noise. */
  'robustness-derive': z.object({ versionId: positiveId, seed: z.number().int().min(0).max(2 ** 31 - 1).default(0) }),
  /** options: checked against the named finder's schema here, so a bad threshold fails at the start call, not in the worker. */
  find: z
    .object({ finder: z.enum(FINDER_NAMES), datasetId: positiveId, options: z.record(z.string(), z.unknown()).default({}) })
    .superRefine((p, ctx) => {
      const parsed = finderOptionSchemas[p.finder].safeParse(p.options);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['options', ...issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))] });
    }),
  /** Quick try of a draft prompt on a few samples (no eval run is created). */
  'prompt-try': promptTryJobSchema,
} satisfies Record<JobKind, z.ZodType>;

/** What an import job reports as its result (the full report is in import_reports). */
export interface ImportJobResult {
  reportId: number;
  datasetId: number;
  imported: number;
  alreadyPresent: number;
  issueCount: number;
  skippedSideFileCount: number;
  cancelled: boolean;
}

export interface EvalJobResult {
  runId: number;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
}

/** A finder job's result: the run whose suspects form the review queue. */
export interface FindJobResult {
  runId: number;
  finder: FinderName;
  suspectCount: number;
  cancelled: boolean;
}

export interface JobParamsMap {
  import: ImportRequest;
  export: ExportRequest;
  eval: { runId: number };
  'model-download': ModelDownloadRequest;
  'runtime-install': { runtime: RuntimeName };
  finetune: FinetuneSpec;
  'mini-vlm-create': { name: string };
  'robustness-derive': { versionId: number; seed?: number };
  find: { finder: FinderName; datasetId: number; options: Record<string, unknown> };
  'prompt-try': PromptTryJobParams;
}

export interface JobResultMap {
  import: ImportJobResult;
  export: ExportResult;
  eval: EvalJobResult;
  'model-download': RegisteredModel;
  'runtime-install': RuntimeInstallResult;
  finetune: FinetuneResult;
  'mini-vlm-create': RegisteredModel;
  'robustness-derive': DeriveJobResult;
  find: FindJobResult;
  'prompt-try': PromptTryResult;
}

const count = z.number().int().nonnegative();

/** Results are checked against these before they are stored (the keys readers rely on; the full value is kept), so a reader of `result` never guesses keys. */
export const jobResultSchemas = {
  import: z.object({
    reportId: positiveId,
    datasetId: positiveId,
    imported: count,
    alreadyPresent: count,
    issueCount: count,
    skippedSideFileCount: count,
    cancelled: z.boolean(),
  }),
  export: z.object({
    destination: z.string(),
    files: z.array(z.string()),
    sampleCount: count,
    labelFolders: z.record(z.string(), z.string()).optional(),
  }),
  eval: z.object({ runId: positiveId, status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']) }),
  'model-download': z.object({ id: positiveId, name: z.string(), kind: z.enum(['vlm', 'onnx-classifier']), path: z.string() }),
  'runtime-install': z.object({
    runtime: z.enum(RUNTIME_NAMES),
    installedFiles: z.array(z.string()),
    status: z.object({ available: z.boolean() }),
  }),
  finetune: z.object({
    modelId: positiveId,
    modelName: z.string(),
    exportDir: z.string(),
    steps: count,
    trainSeconds: z.number().nonnegative(),
    firstTrainLoss: z.number().nullable(),
    lastTrainLoss: z.number().nullable(),
    lastEvalLoss: z.number().nullable(),
    optimizer: z.string(),
  }),
  'mini-vlm-create': z.object({ id: positiveId, name: z.string(), kind: z.enum(['vlm', 'onnx-classifier']), path: z.string() }),
  'robustness-derive': z.object({
    sourceVersionId: positiveId,
    derivedVersionIds: z.array(positiveId),
    imagesWritten: count,
    cancelled: z.boolean(),
  }),
  find: z.object({ runId: positiveId, finder: z.enum(FINDER_NAMES), suspectCount: count, cancelled: z.boolean() }),
  'prompt-try': promptTryResultSchema,
} satisfies Record<JobKind, z.ZodType>;

/** Compile-time: every declared result type fits its schema, and every param schema's output fits the declared params. */
type Fits<A, B> = [A] extends [B] ? true : false;
export type JobSchemasFit = {
  [K in JobKind]: [Fits<JobResultMap[K], z.output<(typeof jobResultSchemas)[K]>>, Fits<z.output<(typeof jobParamSchemas)[K]>, JobParamsMap[K]>];
};
const _fits: JobSchemasFit = null as unknown as { [K in JobKind]: [true, true] };
void _fits;

interface JobInfoBase {
  id: string;
  status: JobStatus;
  value: number;
  message: string;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  /** The run or model this job works on or produced (null: none; absent in placeholders a client builds before the first event). */
  owner?: JobOwner | null;
}

/** One job on the wire: a union on `kind`, so `result` is typed per kind (null until done, or when cancelled before any result). */
export type JobInfo = { [K in JobKind]: JobInfoBase & { kind: K; result: JobResultMap[K] | null } }[JobKind];

/** The one progress message every long job reports (value in 0..1). */
export interface JobProgress {
  jobId: string;
  kind: JobKind;
  value: number;
  message: string;
}
