/** Channel table for cascade runs (classifier top-k → VLM): the report and the by-name mapping suggestion; merged in ipc-contract.ts. */
import { z } from 'zod';
import type { CascadeMappingSuggestion, CascadeParams, CascadeReport } from './cascade-types';

const id = z.number().int().positive();
const label = z.string().min(1).max(500);

/** evals:create's `cascade` field (CascadeParams). */
export const cascadeParamsSchema = z.object({
  classifierModelId: id,
  k: z.number().int().min(1).max(10_000),
  classMappingId: id.nullable().optional(),
  mapping: z
    .object({
      name: z.string().trim().min(1).max(200),
      classes: z.array(z.object({ label, modelClasses: z.array(z.number().int().min(0).max(1_000_000)).max(100_000) })).max(10_000),
    })
    .nullable()
    .optional(),
});

export const cascadeChannels = {
  /** Stage 1 alone, stage 2 alone (a sibling run; default the newest finished one), the cascade and top-k recall. */
  'cascade:report': { args: z.object({ runId: id, stage2RunId: id.optional() }), result: null as unknown as CascadeReport },
  /** The classifier's classes matched to candidate labels by name (what a cascade without a mapping uses). */
  'cascade:suggestMapping': {
    args: z.object({ classifierModelId: id, labels: z.array(label).min(1).max(10_000) }),
    result: null as unknown as CascadeMappingSuggestion,
  },
  /** The cascade a run was made with, as create params (mapping expanded inline): what "Rerun with changes" prefills; null for a plain run. */
  'cascade:runParams': { args: z.object({ runId: id }), result: null as unknown as CascadeParams | null },
} as const;
