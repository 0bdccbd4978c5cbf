/** Channel table for models and eval runs (merged into the one IPC contract in ipc-contract.ts). */
import { z } from 'zod';
import { jobParamSchemas } from './jobs';
import { cascadeParamsSchema } from './ipc-contract-cascade';
import { EVAL_DEVICES, type EvalRun, type RegisteredModel } from './eval-types';
import type { ModelInspection } from './model-types';
import type { EvalComparison, EvalSamplePage, PromptHistoryEntry } from './eval-views';

const id = z.number().int().positive();
const path = z.string().min(1).max(4096);
const prompt = z.string().max(20_000);

export const evalSampleFilterSchema = z.object({
  outcome: z.enum(['all', 'correct', 'wrong', 'off-label', 'error', 'pending']).default('all'),
  truth: z.string().max(500).optional(),
  prediction: z.string().max(500).optional(),
  /** Sort by the confidence of the predicted label (scored/classifier runs). */
  sort: z.enum(['position', 'confidence-asc', 'confidence-desc', 'latency-desc']).default('position'),
  /** Confidence range [min, max] of the predicted label, inclusive; rows without a confidence never match a range. */
  minConfidence: z.number().min(0).max(1).optional(),
  maxConfidence: z.number().min(0).max(1).optional(),
});

export const evalChannels = {
  'models:list': { args: z.object({}), result: null as unknown as RegisteredModel[] },
  'models:inspect': { args: z.object({ path }), result: null as unknown as ModelInspection },
  'models:register': {
    args: z.object({ path, name: z.string().trim().min(1).max(200).optional() }),
    result: null as unknown as RegisteredModel,
  },
  'models:remove': { args: z.object({ modelId: id }), result: null as unknown as { removed: boolean } },
  'models:download': { args: jobParamSchemas['model-download'], result: null as unknown as { jobId: string } },
  /** Starts a mini-VLM base build (MobileNetV2 + small LM; the Python export takes a while) as a job. */
  'models:createMiniVlm': { args: jobParamSchemas['mini-vlm-create'], result: null as unknown as { jobId: string } },
  'evals:list': { args: z.object({ datasetId: id.optional() }), result: null as unknown as EvalRun[] },
  'evals:get': { args: z.object({ runId: id }), result: null as unknown as EvalRun },
  'evals:create': {
    args: z.object({
      name: z.string().trim().min(1).max(200),
      versionId: id,
      split: z.enum(['train', 'val', 'test', 'all']),
      modelId: id,
      mode: z.enum(['raw', 'constrained', 'scored', 'classifier']),
      systemPrompt: prompt.optional(),
      userPrompt: prompt.optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1),
      nSamples: z.number().int().positive().max(1_000_000).nullable(),
      device: z.enum(EVAL_DEVICES).optional(),
      dtype: z.string().max(50).nullable().optional(),
      classMapping: z.string().max(100).nullable().optional(),
      /** Candidate labels (open label sets): every snapshot class plus any extra; omitted = the snapshot's classes. */
      labels: z.array(z.string().min(1).max(200)).min(2).max(2000).optional(),
      abstainLabel: z.string().max(200).nullable().optional(),
      cascade: cascadeParamsSchema.nullable().optional(),
      promptVersionId: id.nullable().optional(),
    }),
    result: null as unknown as { run: EvalRun; jobId: string },
  },
  'evals:resume': {
    args: z.object({ runId: id, device: z.enum(EVAL_DEVICES).optional() }),
    result: null as unknown as { jobId: string },
  },
  'evals:delete': { args: z.object({ runId: id }), result: null as unknown as { deleted: boolean } },
  'evals:samples': {
    args: z.object({
      runId: id,
      filter: evalSampleFilterSchema,
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(2000),
    }),
    result: null as unknown as EvalSamplePage,
  },
  'evals:export': {
    args: z.object({ runId: id, format: z.enum(['csv', 'json', 'yaml']), destination: path, thumbnails: z.boolean().default(false) }),
    result: null as unknown as { path: string; bytes: number },
  },
  'evals:compare': { args: z.object({ aId: id, bId: id }), result: null as unknown as EvalComparison },
  'evals:prompts': { args: z.object({ datasetId: id }), result: null as unknown as PromptHistoryEntry[] },
} as const;
