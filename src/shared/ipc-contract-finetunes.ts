/** Channel table for fine-tunes (merged into the one IPC contract in ipc-contract.ts): validate before any job, create, resume, list, get, YAML in/out. */
import { z } from 'zod';
import type { RegisteredModel } from './eval-types';
import { finetuneBackendSchema, finetuneHyperparamsSchema, finetuneSpecSchema, type FinetuneEvaluation, type FinetuneHyperparams, type FinetunePhaseStamp, type FinetuneKeyWarning, type FinetuneMetricLine, type FinetuneSpec, type FinetuneValidation } from './finetune-types';
import type { JobInfo } from './jobs';

/** A fine-tune job with the spec it runs and, once done, the model it registered. */
export interface FinetuneJob {
  job: Extract<JobInfo, { kind: 'finetune' }>;
  spec: FinetuneSpec;
  model: RegisteredModel | null;
  /** The base model's and snapshot's names now (null where they were removed since). */
  baseModelName: string | null;
  snapshot: { datasetName: string; versionName: string } | null;
  /** Phases reached so far, oldest first. */
  phases: FinetunePhaseStamp[];
  /** The automatic base-vs-fine-tuned evaluation (null until the job registered its model, or when disabled). */
  evaluation: FinetuneEvaluation | null;
  /** The step of the newest checkpoint a stopped (cancelled/failed/interrupted) job can resume from; null otherwise. */
  resumableStep: number | null;
}

/** What a seeds' YAML maps onto (names not yet resolved against the workspace) and its per-key warnings. */
export interface FinetuneYamlImport {
  modelName: string | null;
  datasetName: string | null;
  labels: string[] | null;
  systemPrompt: string | null;
  userPrompt: string | null;
  hyperparams: FinetuneHyperparams;
  warnings: FinetuneKeyWarning[];
}

const yamlText = z.string().max(200_000);
const jobId = z.string().min(1).max(100);

export const finetuneChannels = {
  /** Errors, moot-key warnings (when the spec came from a YAML) and the modules LoRA will wrap; never starts anything. */
  'finetunes:validate': { args: z.object({ spec: finetuneSpecSchema, yaml: yamlText.optional() }), result: null as unknown as FinetuneValidation },
  /** Validates, then starts the finetune job (refused with the validation's errors). */
  'finetunes:create': { args: finetuneSpecSchema, result: null as unknown as { jobId: string; validation: FinetuneValidation } },
  /** Starts a new job that continues a stopped one from its newest checkpoint (its spec, resumeFrom set; optionally another backend). */
  'finetunes:resume': { args: z.object({ jobId, backend: finetuneBackendSchema.optional() }), result: null as unknown as { jobId: string } },
  'finetunes:list': { args: z.object({}), result: null as unknown as FinetuneJob[] },
  'finetunes:get': { args: z.object({ jobId }), result: null as unknown as FinetuneJob },
  /** Up to 64 KB of the job's train.log from a byte offset; nextOffset is where the next call starts, size the file's length now. */
  'finetunes:log': { args: z.object({ jobId, offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }), result: null as unknown as { text: string; nextOffset: number; size: number } },
  /** The whole rows of the job's metrics.jsonl so far. */
  'finetunes:metrics': { args: z.object({ jobId }), result: null as unknown as FinetuneMetricLine[] },
  'finetunes:importYaml': { args: z.object({ yaml: yamlText }), result: null as unknown as FinetuneYamlImport },
  /** The seeds' YAML for a spec; with `source` (the imported text) only changed keys are rewritten. */
  'finetunes:exportYaml': {
    args: z.object({
      modelName: z.string().max(500).nullable(),
      labels: z.array(z.string()).nullable(),
      systemPrompt: z.string().max(20_000),
      userPrompt: z.string().max(20_000),
      hyperparams: finetuneHyperparamsSchema,
      source: yamlText.optional(),
    }),
    result: null as unknown as { yaml: string },
  },
} as const;
