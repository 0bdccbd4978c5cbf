/** Channel table for versioned prompts, the New eval form's remembered settings and quick tries (merged into ipc-contract.ts). */
import { z } from 'zod';
import { evalFormSettingsSchema, type EvalFormSettings } from './eval-form-settings';
import type { PromptDetail, PromptSummary, PromptVersion, SavePromptVersionResult } from './prompt-types';
import { promptTryRequestSchema, type PromptTryPickables } from './prompt-try';

const id = z.number().int().positive();
const prompt = z.string().max(20_000);

export const promptChannels = {
  'prompts:list': { args: z.object({}), result: null as unknown as PromptSummary[] },
  'prompts:get': { args: z.object({ promptId: id }), result: null as unknown as PromptDetail },
  /** Every version of every prompt (pickers: the New eval form, the prompt × model matrix). */
  'prompts:versions': { args: z.object({ includeAdHoc: z.boolean().default(true) }), result: null as unknown as PromptVersion[] },
  'prompts:version': { args: z.object({ versionId: id }), result: null as unknown as PromptVersion },
  'prompts:save': {
    args: z
      .object({
        promptId: id.optional(),
        name: z.string().trim().min(1).max(100).optional(),
        systemPrompt: prompt,
        userPrompt: prompt,
        labelDescriptions: z.record(z.string().max(500), z.string().max(2000)).default({}),
        note: z.string().max(2000).default(''),
      })
      .refine((p) => (p.promptId === undefined) !== (p.name === undefined), 'Give either promptId (a new version) or name (a new prompt)'),
    result: null as unknown as SavePromptVersionResult,
  },
  'prompts:formSettings': { args: z.object({ datasetId: id }), result: null as unknown as EvalFormSettings | null },
  'prompts:saveFormSettings': { args: z.object({ datasetId: id, settings: evalFormSettingsSchema }), result: null as unknown as { saved: boolean } },
  /** Starts a quick try (a short 'prompt-try' job; cancel it with jobs:cancel). */
  'prompts:try': { args: promptTryRequestSchema, result: null as unknown as { jobId: string } },
  /** A snapshot split's samples the quick try offers to pick ("samples I pick"). */
  'prompts:trySamples': { args: z.object({ versionId: id, split: z.enum(['train', 'val', 'test', 'all']) }), result: null as unknown as PromptTryPickables },
} as const;
