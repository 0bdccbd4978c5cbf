/** The New eval form's choices as remembered per dataset in main (last started eval), and as a "Rerun with changes" prefill. */
import { z } from 'zod';
import { EVAL_DEVICES, EVAL_MODES, EVAL_SPLITS, type EvalRun } from './eval-types';

export const evalFormSettingsSchema = z.object({
  versionId: z.number().int().positive().nullable(),
  split: z.enum(EVAL_SPLITS as [string, ...string[]]).transform((s) => s as EvalRun['split']),
  modelId: z.number().int().positive().nullable(),
  mode: z.enum(EVAL_MODES as [string, ...string[]]).transform((s) => s as EvalRun['mode']),
  classMapping: z.string().max(100),
  device: z.enum(EVAL_DEVICES),
  dtype: z.string().max(50),
  seed: z.string().max(20),
  nSamples: z.string().max(20),
  /** The saved prompt version the text came from; null when the text was edited since (saved as ad-hoc at start). */
  promptVersionId: z.number().int().positive().nullable(),
  systemPrompt: z.string().max(20_000),
  userPrompt: z.string().max(20_000),
  /** Open label sets: candidates beyond the snapshot's classes, one per line, and the abstain candidate ('' = none). */
  extraCandidates: z.string().max(200_000).default(''),
  abstainLabel: z.string().max(200).default(''),
});

export type EvalFormSettings = z.output<typeof evalFormSettingsSchema>;

/** A run's full configuration as form settings: what "Rerun with changes" opens the form with. */
export function settingsFromRun(run: EvalRun & { promptVersionId?: number | null }): EvalFormSettings {
  return {
    versionId: run.versionId,
    split: run.split,
    modelId: run.modelId,
    mode: run.mode,
    classMapping: run.classMapping ?? '',
    device: run.device,
    dtype: run.dtype ?? '',
    seed: String(run.seed),
    nSamples: run.nSamples === null ? '' : String(run.nSamples),
    promptVersionId: run.promptVersionId ?? null,
    systemPrompt: run.systemPrompt,
    userPrompt: run.userPrompt,
    extraCandidates: run.labels.filter((l) => !run.truthLabels.includes(l)).join('\n'),
    abstainLabel: run.abstainLabel ?? '',
  };
}
