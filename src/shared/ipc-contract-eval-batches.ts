/** Channel table for prompt × model matrix batches (merged into the one IPC contract in ipc-contract.ts). */
import { EVAL_DEVICES } from './eval-types';
import { z } from 'zod';
import { MATRIX_MODES, type EvalBatch } from './eval-matrix';

const id = z.number().int().positive();
const prompt = z.string().max(20_000);

/** A matrix row: inline prompt texts, or a saved prompt version by id. */
export const batchPromptInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inline'), name: z.string().trim().min(1).max(200), systemPrompt: prompt, userPrompt: prompt }),
  z.object({ kind: z.literal('version'), promptVersionId: id }),
]);

export const evalBatchChannels = {
  /** Creates one eval run per prompt × model × mode cell over one seeded plan and queues their eval jobs in cell order. */
  'batches:create': {
    args: z.object({
      name: z.string().trim().min(1).max(200),
      versionId: id,
      split: z.enum(['train', 'val', 'test', 'all']),
      seed: z.number().int().min(0).max(2 ** 31 - 1),
      nSamples: z.number().int().positive().max(1_000_000).nullable(),
      prompts: z.array(batchPromptInputSchema).min(1).max(32),
      modelIds: z.array(id).min(1).max(16),
      modes: z.array(z.enum(MATRIX_MODES)).min(1).max(MATRIX_MODES.length),
      labels: z.array(z.string().max(500)).min(2).max(1000).optional(),
      device: z.enum(EVAL_DEVICES).optional(),
      dtype: z.string().max(50).nullable().optional(),
    }),
    result: null as unknown as { batch: EvalBatch; jobIds: string[] },
  },
  'batches:list': { args: z.object({ datasetId: id }), result: null as unknown as EvalBatch[] },
  'batches:get': { args: z.object({ batchId: id }), result: null as unknown as EvalBatch },
  /** Cancels the batch's queued and running cells (each stops after its sample in flight; resumable). */
  'batches:cancel': { args: z.object({ batchId: id }), result: null as unknown as { cancelled: number } },
  /** Re-queues every unfinished cell (after a cancel, a failure or an app restart); finished samples are kept. */
  'batches:resume': { args: z.object({ batchId: id }), result: null as unknown as { jobIds: string[] } },
} as const;
