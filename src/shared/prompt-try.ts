/** Quick try: a draft prompt on a handful of samples, answered inline without creating an eval run (a short, cancellable job). */
import { z } from 'zod';
import { EVAL_DEVICES, VLM_EVAL_MODES } from './eval-types';

/** At most this many samples per try: it is meant to answer in seconds. */
export const PROMPT_TRY_MAX_SAMPLES = 16;

const id = z.number().int().positive();
const prompt = z.string().max(20_000);

/** Which samples to try: the seeded first n of a split (as an eval would draw them), a run's mistakes, or picked ids. */
export const promptTrySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), split: z.enum(['train', 'val', 'test', 'all']), seed: z.number().int().min(0).max(2 ** 31 - 1), count: z.number().int().min(1).max(PROMPT_TRY_MAX_SAMPLES) }),
  z.object({ kind: z.literal('mistakes'), runId: id, count: z.number().int().min(1).max(PROMPT_TRY_MAX_SAMPLES) }),
  z.object({ kind: z.literal('ids'), sampleIds: z.array(id).min(1).max(PROMPT_TRY_MAX_SAMPLES) }),
]);

/** At most this many samples of a split are offered to pick from (the picker is a strip, not the Data view). */
export const PROMPT_TRY_PICKABLE_MAX = 2000;

/** One sample offered by the quick try's picker. */
export interface PromptTryPickable {
  sampleId: number;
  label: string;
  originalPath: string;
}

/** A split's samples to pick from (the first PROMPT_TRY_PICKABLE_MAX by sample id) and how many the split holds. */
export interface PromptTryPickables {
  total: number;
  samples: PromptTryPickable[];
}

/** What the renderer asks for (validated in main); main resolves the samples into the job's params. */
export const promptTryRequestSchema = z.object({
  versionId: id,
  modelId: id,
  mode: z.enum(VLM_EVAL_MODES),
  device: z.enum(EVAL_DEVICES).default('cpu'),
  dtype: z.string().max(50).nullable().default(null),
  systemPrompt: prompt,
  userPrompt: prompt.refine((s) => s.trim() !== '', 'The user prompt is empty'),
  source: promptTrySourceSchema,
});
export type PromptTryRequest = z.input<typeof promptTryRequestSchema>;

/** The job's params: everything resolved (model folder, labels, image files), so the worker reads no tables. */
export const promptTryJobSchema = z.object({
  modelName: z.string().max(200),
  modelDir: z.string().min(1).max(4096),
  mode: z.enum(VLM_EVAL_MODES),
  device: z.enum(EVAL_DEVICES),
  dtype: z.string().max(50),
  systemPrompt: prompt,
  userPrompt: prompt,
  labels: z.array(z.string().min(1).max(500)).min(1).max(5000),
  samples: z
    .array(z.object({ sampleId: id, imageHash: z.string().max(128), ext: z.string().max(16), originalPath: z.string().max(4096), truth: z.string().max(500) }))
    .min(1)
    .max(PROMPT_TRY_MAX_SAMPLES),
});
export type PromptTryJobParams = z.output<typeof promptTryJobSchema>;

export const promptTryResultSchema = z.object({
  outputs: z.array(
    z.object({
      sampleId: id,
      imageHash: z.string(),
      originalPath: z.string(),
      truth: z.string(),
      prediction: z.string().nullable(),
      rawOutput: z.string().nullable(),
      confidence: z.number().nullable(),
      latencyMs: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
  /** Time to load the model (sessions already cached by an eval load faster). */
  loadMs: z.number().nonnegative(),
  cancelled: z.boolean(),
});
export type PromptTryResult = z.output<typeof promptTryResultSchema>;
/** One answer: prediction is a candidate label or null (off-label answer or error); confidence = its probability (scored mode). */
export type PromptTryOutput = PromptTryResult['outputs'][number];
